//! Signing in with an e-mail address and password.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_store::accounts::LoginOutcome;
use tower_sessions::Session;

use crate::platform::auth::{self, ClientAddress, DEFAULT_AFTER_LOGIN, safe_next};
use crate::platform::error::PageError;
use crate::platform::extract::{PageForm, PageQuery};
use crate::platform::views::{FormErrors, Layout, when};
use crate::state::AppState;

/// The sign-in page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub layout: Layout,
    /// The e-mail address typed, kept after a failed attempt (never the password).
    pub email: String,
    /// Where to go after signing in (a local path, or empty).
    pub next: String,
    pub errors: FormErrors,
}

// `GET /login`: the sign-in form.

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

// `POST /login`: checks the password, then signs in on a new session id.

/// The sign-in form as sent.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LoginForm {
    /// Email address.
    pub email: String,
    /// Password.
    pub password: String,
    /// Where to go next (a local path).
    pub next: String,
}

/// Signs in. A wrong email or password gets one message that does not say which was wrong; a
/// locked account says when it unlocks; too many attempts from one client get 429.
#[utoipa::path(post, path = "/login", tag = "accounts",
    request_body(content = LoginForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Signed in: to `next`, else `/projects`; sets the session cookie"),
        (status = 422, description = "Wrong email or password, or the account is locked", content_type = "text/html"),
        (status = 429, description = "Too many attempts; see Retry-After", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn post_login(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    session: Session,
    PageForm(form): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    let next = safe_next(&form.next).unwrap_or_default().to_owned();
    let answer = |status: StatusCode, errors: FormErrors| {
        let page = LoginPage {
            layout: Layout::new("accounts"),
            email: form.email.trim().to_owned(),
            next: next.clone(),
            errors,
        };
        (status, page).into_response()
    };
    let mut errors = FormErrors::default();
    if form.email.trim().is_empty() {
        errors.add("email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    if !errors.is_empty() {
        return Ok(answer(StatusCode::UNPROCESSABLE_ENTITY, errors));
    }
    if let Err(wait) = state.login_limiter().check(client, &form.email) {
        let seconds = wait.as_secs() + 1;
        let message = format!("Too many sign-in attempts. Wait {seconds} seconds, then try again.");
        let mut response = answer(
            StatusCode::TOO_MANY_REQUESTS,
            FormErrors::one("email", message),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return Ok(response);
    }
    match state
        .store()
        .verify_login(&form.email, &form.password)
        .await
    {
        Ok(LoginOutcome::Success(user)) => {
            auth::sign_in(&session, user.id).await?;
            tracing::info!(user = %user.id, "signed in");
            let to = if next.is_empty() {
                DEFAULT_AFTER_LOGIN
            } else {
                &next
            };
            Ok(Redirect::to(to).into_response())
        }
        Ok(LoginOutcome::Rejected) => Ok(answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::one("email", "The email address or password is wrong"),
        )),
        Ok(LoginOutcome::Locked { until }) => Ok(answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::one(
                "email",
                format!(
                    "This account is locked after too many wrong passwords. Try again after {}.",
                    when(&until)
                ),
            ),
        )),
        Err(e) => Err(e.into()),
    }
}
