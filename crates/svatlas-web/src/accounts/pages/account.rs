//! Your account: who you are, your organisations, your password and your API tokens.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::{NewPassword, PASSWORD_MIN_CHARS};
use svatlas_store::StoreError;
use svatlas_store::accounts::{Membership, PasswordChange, User};
use tower_sessions::Session;
use uuid::Uuid;

use crate::platform::auth::{self, Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::{PageForm, PageQuery};
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, Layout, sentence, when};
use crate::state::AppState;

/// One API token as listed.
pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    /// When it was revoked, if it was.
    pub revoked: Option<String>,
}

/// The account page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "accounts/account.html")]
pub struct AccountPage {
    pub layout: Layout,
    pub user: User,
    pub memberships: Vec<Membership>,
    pub tokens: Vec<TokenRow>,
    pub errors: FormErrors,
    /// What just succeeded, if anything.
    pub notice: Option<&'static str>,
    /// The token name typed, kept after a failed attempt.
    pub token_name: String,
    pub min_password: usize,
}

impl AccountPage {
    /// The page for `caller`, with these form problems.
    pub async fn load(
        state: &AppState,
        caller: Caller,
        errors: FormErrors,
    ) -> Result<AccountPage, AppError> {
        let tokens = state
            .store()
            .api_tokens_of(caller.user.id)
            .await?
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                prefix: t.prefix,
                created: when(&t.created_at),
                last_used: t
                    .last_used_at
                    .as_ref()
                    .map_or_else(|| "Never".to_owned(), when),
                revoked: t.revoked_at.as_ref().map(when),
            })
            .collect();
        Ok(AccountPage {
            layout: Layout::signed_in("accounts", &caller),
            user: caller.user,
            memberships: caller.memberships,
            tokens,
            errors,
            notice: None,
            token_name: String::new(),
            min_password: PASSWORD_MIN_CHARS,
        })
    }
}

// `POST /account/tokens`: creates a personal API token and shows it once.

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
                layout: Layout::signed_in("accounts", &caller),
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

// `GET /account`: your account.

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

// `POST /account/password`: changes your password.

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

// `POST /account/tokens/{id}/revoke`: revokes one of your API tokens.

/// Revokes one of your tokens: it authenticates nothing from now on.
#[utoipa::path(post, path = "/account/tokens/{id}/revoke", tag = "accounts",
    params(("id" = String, Path, description = "Token id")),
    responses(
        (status = 303, description = "Revoked: to `/account?done=revoked`"),
        (status = 404, description = "You have no such token, or it is revoked already", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn revoke_token(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
) -> Result<Redirect, PageError> {
    let not_found =
        || AppError::NotFound("you have no such API token, or it is revoked already".into());
    let id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    match state
        .store()
        .revoke_api_token(&caller.user.email, caller.user.id, id)
        .await
    {
        Ok(()) => Ok(Redirect::to("/account?done=revoked")),
        Err(StoreError::NotFound) => Err(not_found().into()),
        Err(e) => Err(AppError::from(e).into()),
    }
}
