//! `POST /account/tokens`: creates a personal API token and shows it once.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_store::StoreError;

use crate::accounts::pages::account::AccountPage;
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, sentence};
use crate::state::AppState;

/// The new-token form as sent.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TokenForm {
    /// What the token is for.
    pub name: String,
}

/// The page showing a new token, the only time it is shown.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "accounts/token_created.html")]
pub struct TokenCreatedPage {
    pub layout: Layout,
    pub name: String,
    pub token: String,
    pub me_path: &'static str,
}

/// Creates an API token for you and shows it once (the store keeps only its SHA-256).
#[utoipa::path(post, path = "/account/tokens", tag = "accounts",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The new token, shown once", content_type = "text/html"),
        (status = 422, description = "No usable name", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn create_token(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    PageForm(form): PageForm<TokenForm>,
) -> Result<Response, PageError> {
    let created = state
        .store()
        .create_api_token(&caller.user.email, caller.user.id, &form.name)
        .await;
    match created {
        Ok(created) => {
            let page = TokenCreatedPage {
                layout: Layout::new("accounts"),
                name: created.info.name,
                token: created.token,
                me_path: "/api/v1/me",
            };
            // The secret must not stay in any cache.
            let no_store = [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];
            Ok((no_store, page).into_response())
        }
        Err(StoreError::Invalid(message)) => {
            let message = if form.name.trim().is_empty() {
                "Enter a name for the token".to_owned()
            } else {
                sentence(&message)
            };
            let mut page =
                AccountPage::load(&state, caller, FormErrors::one("token_name", message)).await?;
            page.token_name = form.name;
            Ok(show_again(page))
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
