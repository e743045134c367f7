//! `POST /account/password`: changes your password.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::NewPassword;
use svatlas_store::accounts::PasswordChange;
use tower_sessions::Session;

use crate::accounts::pages::account::AccountPage;
use crate::platform::auth::{self, PageCaller};
use crate::platform::error::PageError;
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, sentence};
use crate::state::AppState;

/// The change-password form as sent.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PasswordForm {
    /// Current password.
    pub current_password: String,
    /// New password.
    pub new_password: String,
    /// New password again.
    pub confirm_password: String,
}

/// Changes your password after checking the current one (a wrong current password counts
/// towards the lockout). Your other sessions are signed out; this one stays signed in.
#[utoipa::path(post, path = "/account/password", tag = "accounts",
    request_body(content = PasswordForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Changed: to `/account?done=password`"),
        (status = 422, description = "Wrong current password, or the new one is refused", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn change_password(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    session: Session,
    PageForm(form): PageForm<PasswordForm>,
) -> Result<Response, PageError> {
    let mut errors = FormErrors::default();
    if form.current_password.is_empty() {
        errors.add("current_password", "Enter your current password");
    }
    let new = NewPassword::parse(&form.new_password)
        .map_err(|e| errors.add("new_password", sentence(&e.to_string())))
        .ok();
    if new.is_some() && form.confirm_password != form.new_password {
        errors.add("confirm_password", "The new passwords do not match");
    }
    if let (Some(new), true) = (&new, errors.is_empty()) {
        let user = caller.user.id;
        match state
            .store()
            .change_password(&caller.user.email, user, &form.current_password, new)
            .await?
        {
            PasswordChange::Changed => {
                auth::renew_after_password_change(&session, user).await?;
                return Ok(Redirect::to("/account?done=password").into_response());
            }
            PasswordChange::WrongCurrentPassword => {
                errors.add("current_password", "Your current password is wrong");
            }
        }
    }
    let page = AccountPage::load(&state, caller, errors).await?;
    Ok(show_again(page))
}
