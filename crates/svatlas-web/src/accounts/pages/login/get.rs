//! `GET /login`: the sign-in form.

use serde::Deserialize;

use crate::accounts::pages::login::LoginPage;
use crate::platform::auth::safe_next;
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::views::FormErrors;
use crate::platform::views::Layout;

/// Where to go after signing in.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginQuery {
    /// A path on this site to return to (other values are ignored).
    pub next: Option<String>,
}

/// The sign-in form: email address and password.
#[utoipa::path(get, path = "/login", tag = "accounts",
    params(LoginQuery),
    responses((status = 200, description = "Sign-in form", content_type = "text/html")))]
pub async fn get_login(PageQuery(query): PageQuery<LoginQuery>) -> Result<LoginPage, PageError> {
    let next = query
        .next
        .as_deref()
        .and_then(safe_next)
        .unwrap_or_default();
    Ok(LoginPage {
        layout: Layout::new("accounts"),
        email: String::new(),
        next: next.to_owned(),
        errors: FormErrors::default(),
    })
}
