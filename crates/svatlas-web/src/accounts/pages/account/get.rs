//! `GET /account`: your account.

use axum::extract::State;
use serde::Deserialize;

use crate::accounts::pages::account::AccountPage;
use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::views::FormErrors;
use crate::state::AppState;

/// What just happened (set by the redirects after a change).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// `password` (changed) or `revoked` (a token).
    pub done: Option<String>,
}

/// Your name, email address, organisations and roles; the change-password form; your API
/// tokens with a form to create one and buttons to revoke them.
#[utoipa::path(get, path = "/account", tag = "accounts",
    params(AccountQuery),
    responses(
        (status = 200, description = "Your account", content_type = "text/html"),
        (status = 303, description = "Not signed in: to `/login?next=/account`")))]
pub async fn get_account(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    PageQuery(query): PageQuery<AccountQuery>,
) -> Result<AccountPage, PageError> {
    let mut page = AccountPage::load(&state, caller, FormErrors::default()).await?;
    page.notice = match query.done.as_deref() {
        Some("password") => Some("Your password has been changed"),
        Some("revoked") => Some("The API token has been revoked"),
        _ => None,
    };
    Ok(page)
}
