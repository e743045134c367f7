//! Who is calling, and what they may do.
//!
//! Pages know the caller from the session cookie ([`PageCaller`]); the JSON API only from a
//! personal API token sent as `Authorization: Bearer sva_...` ([`ApiCaller`]), never from
//! cookies, so cross-site requests cannot act through the API. Both reload the user and their
//! memberships from the store on every request, so a changed role or a removal takes effect
//! at once.
//!
//! Inside organisations, things of an organisation the caller does not belong to must look
//! absent: [`Caller::require_member`] answers 404, not 403.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::Method;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use svatlas_store::accounts::{Membership, User};
use tower_sessions::Session;
use uuid::Uuid;

use crate::platform::error::{AppError, PageError};
use crate::state::AppState;
use axum::http::StatusCode;

/// Session key of the signed-in user.
const SESSION_KEY: &str = "auth";
/// How often a page request renews the session's 8-hour inactivity expiry (renewing on every
/// request would write the session row each time).
const RENEW_AFTER_MINUTES: i64 = 5;
/// Where to go after signing in when no (safe) `next` was given.
pub const DEFAULT_AFTER_LOGIN: &str = "/projects";

/// What the session keeps about the signed-in user.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SessionAuth {
    user_id: Uuid,
    /// When the password was last proven; sessions older than the account's last change
    /// (a password change) are refused.
    signed_in_at: DateTime<Utc>,
    /// When the session was last renewed.
    seen_at: DateTime<Utc>,
}

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A signed-in browser session.
    Session,
    /// A personal API token.
    Token {
        /// The token used.
        token_id: Uuid,
    },
}

/// A known caller: the user, their organisations and roles, and how they signed in.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user: User,
    /// Their organisations and roles.
    pub memberships: Vec<Membership>,
    /// Session or token.
    pub via: Via,
}

impl Caller {
    /// The caller's role in an organisation, if they belong to it.
    pub fn role_in(&self, organisation: Uuid) -> Option<Role> {
        self.memberships
            .iter()
            .find(|m| m.organisation_id == organisation)
            .map(|m| m.role)
    }

    /// The organisation the caller acts for in a create request: the one named (the editor role
    /// needed there), or the only one they edit in. `doing` names the action in the error
    /// ("creating a tender"), `which` ends "say which one …" ("owns the project").
    pub fn acting_organisation(
        &self,
        named: Option<Uuid>,
        doing: &str,
        which: &str,
    ) -> Result<Uuid, AppError> {
        if let Some(org) = named {
            self.require_role(org, Role::Editor)?;
            return Ok(org);
        }
        let editable: Vec<Uuid> = self
            .memberships
            .iter()
            .filter(|m| m.role.at_least(Role::Editor))
            .map(|m| m.organisation_id)
            .collect();
        match editable.as_slice() {
            [one] => Ok(*one),
            [] => Err(AppError::Forbidden(format!(
                "{doing} needs the editor or admin role in an organisation"
            ))),
            _ => Err(AppError::invalid(
                "required",
                "organisation_id",
                format!("you can edit in several organisations: say which one {which}"),
            )),
        }
    }

    /// The organisation a page's create form acts for: the one chosen, or the only one the
    /// caller edits in; `None` when they edit in several and chose none (the form asks).
    pub fn form_organisation(&self, chosen: &str, doing: &str) -> Result<Option<Uuid>, AppError> {
        match self.acting_organisation(chosen.trim().parse().ok(), doing, "") {
            Ok(org) => Ok(Some(org)),
            Err(AppError::Unprocessable(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// The organisations the caller edits in, with their names: a create form's choices.
    pub fn editable_organisations(&self) -> Vec<(Uuid, String)> {
        self.memberships
            .iter()
            .filter(|m| m.role.at_least(Role::Editor))
            .map(|m| (m.organisation_id, m.organisation_name.clone()))
            .collect()
    }

    /// The caller's role in an organisation; [`AppError::NotFound`] when they are not a member,
    /// so other organisations' things look absent rather than forbidden.
    pub fn require_member(&self, organisation: Uuid) -> Result<Role, AppError> {
        self.role_in(organisation)
            .ok_or_else(|| AppError::NotFound(format!("no organisation with id {organisation}")))
    }

    /// The caller's role when it is at least `minimum` (admin > editor > viewer):
    /// [`AppError::NotFound`] when they are not a member, [`AppError::Forbidden`] when their
    /// role is lower.
    pub fn require_role(&self, organisation: Uuid, minimum: Role) -> Result<Role, AppError> {
        let role = self.require_member(organisation)?;
        if role.at_least(minimum) {
            Ok(role)
        } else {
            Err(AppError::Forbidden(format!(
                "this needs the {minimum} role in the organisation; yours is {role}"
            )))
        }
    }
}

/// The caller of a JSON API route, from `Authorization: Bearer sva_...`; missing, unknown and
/// revoked tokens are answered 401 with `WWW-Authenticate: Bearer`.
#[derive(Debug, Clone)]
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer_token(parts).ok_or_else(|| {
            AppError::Unauthorized(
                "send a personal API token in the header Authorization: Bearer sva_... \
                 (create one on your account page)"
                    .to_owned(),
            )
        })?;
        match state.store().resolve_api_token(token).await {
            Ok(owner) => Ok(ApiCaller(Caller {
                user: owner.user,
                memberships: owner.memberships,
                via: Via::Token {
                    token_id: owner.token_id,
                },
            })),
            Err(StoreError::NotFound) => Err(AppError::Unauthorized(
                "the API token is not valid or has been revoked".to_owned(),
            )),
            Err(e) => Err(e.into()),
        }
    }
}

/// The token of an `Authorization: Bearer TOKEN` header (scheme in any case).
fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The signed-in caller of an HTML page. Signed-out visitors are redirected (303) to
/// `/login?next=<this page>`.
#[derive(Debug, Clone)]
pub struct PageCaller(pub Caller);

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let session = session(parts).map_err(|e| PageError(e).into_response())?;
        match signed_in_user(&session, state).await {
            Ok(Some(caller)) => Ok(PageCaller(caller)),
            // Back to this page after signing in; a form post cannot be repeated by a
            // redirect, so those start afresh.
            Ok(None) if matches!(parts.method, Method::GET | Method::HEAD) => {
                let here = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
                Err(login_redirect(here))
            }
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(PageError(e).into_response()),
        }
    }
}

fn session(parts: &Parts) -> Result<Session, AppError> {
    parts
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the session layer is not installed")))
}

/// The caller of a session, or `None` when nobody is signed in (or the session was ended by
/// a password change, or the user is gone).
async fn signed_in_user(session: &Session, state: &AppState) -> Result<Option<Caller>, AppError> {
    let Some(mut auth) = session
        .get::<SessionAuth>(SESSION_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    let user = match state.store().user_by_id(auth.user_id).await {
        Ok(user) => user,
        Err(StoreError::NotFound) => {
            session.flush().await.map_err(session_error)?;
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    // `updated_at` moves when the password changes: sessions signed in before then are over.
    if auth.signed_in_at < user.updated_at {
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    }
    let now = Utc::now();
    if now - auth.seen_at > Duration::minutes(RENEW_AFTER_MINUTES) {
        auth.seen_at = now;
        session
            .insert(SESSION_KEY, &auth)
            .await
            .map_err(session_error)?;
    }
    let memberships = state.store().memberships_of(user.id).await?;
    Ok(Some(Caller {
        user,
        memberships,
        via: Via::Session,
    }))
}

fn session_error(error: tower_sessions::session::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!("session: {error}"))
}

/// Signs `user_id` in on this session under a new session id (so an id planted before
/// sign-in is worthless: session fixation).
pub(crate) async fn sign_in(session: &Session, user_id: Uuid) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    remember(session, user_id).await
}

/// Keeps this session signed in after its user changed their password (which ends every
/// other session of theirs).
pub(crate) async fn renew_after_password_change(
    session: &Session,
    user_id: Uuid,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    remember(session, user_id).await
}

async fn remember(session: &Session, user_id: Uuid) -> Result<(), AppError> {
    // Microseconds, as the store keeps `updated_at`, so the comparison above is exact.
    let now = Utc::now();
    let now = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    let auth = SessionAuth {
        user_id,
        signed_in_at: now,
        seen_at: now,
    };
    session
        .insert(SESSION_KEY, &auth)
        .await
        .map_err(session_error)
}

/// Ends the session: its row is deleted and the cookie removed.
pub(crate) async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// `next` when it is a path on this site (`/account?tab=1`), else `None`: full URLs,
/// scheme-relative `//host` and backslash tricks are refused so sign-in cannot redirect away.
pub fn safe_next(next: &str) -> Option<&str> {
    let next = next.trim();
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2000;
    local.then_some(next)
}

/// A 303 to the sign-in page that comes back to `here` (when it is a local path).
pub fn login_redirect(here: &str) -> Response {
    match safe_next(here) {
        Some(next) => Redirect::to(&format!(
            "/login?next={}",
            crate::platform::download::encode(next)
        ))
        .into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

/// How often expired sessions are deleted from the store.
const SESSION_CLEANUP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes expired sessions from the store now and then every hour, in the background, for as
/// long as the server runs. (Expired sessions are never accepted anyway; this keeps the table
/// small.)
pub fn spawn_session_cleanup(store: svatlas_store::Store) -> tokio::task::JoinHandle<()> {
    use tower_sessions::session_store::ExpiredDeletion;
    let storage = svatlas_store::sessions::SessionStorage::new(store);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SESSION_CLEANUP_EVERY);
        loop {
            every.tick().await;
            if let Err(e) = storage.delete_expired().await {
                tracing::warn!(error = %e, "deleting expired sessions failed");
            }
        }
    })
}

/// The client's address, when the server was started with connection info (`svatlas serve`
/// is; the in-process test router is not). Never fails.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip()),
        ))
    }
}

/// The caller of an API route that also answers without a token: `None` without an
/// `Authorization` header; a header with a bad token is still 401.
pub struct MaybeApiCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeApiCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if parts.headers.get(AUTHORIZATION).is_none() {
            return Ok(MaybeApiCaller(None));
        }
        let ApiCaller(caller) = ApiCaller::from_request_parts(parts, state).await?;
        Ok(MaybeApiCaller(Some(caller)))
    }
}

/// The signed-in caller of a public page, or `None` for a visitor.
pub struct MaybePageCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybePageCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match PageCaller::from_request_parts(parts, state).await {
            Ok(PageCaller(caller)) => Ok(MaybePageCaller(Some(caller))),
            // Not signed in: the page is public, so no redirect to sign in.
            Err(response) if response.status() == StatusCode::SEE_OTHER => {
                Ok(MaybePageCaller(None))
            }
            Err(response) => Err(response.into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_safe_next_pages() {
        assert_eq!(safe_next("/account"), Some("/account"));
        assert_eq!(
            safe_next("/areas/E06000026?x=1"),
            Some("/areas/E06000026?x=1")
        );
        for unsafe_next in [
            "",
            "//evil.example/",
            "/\\evil.example",
            "http://evil.example/",
            "https:evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/account\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(safe_next(unsafe_next), None, "{unsafe_next:?}");
        }
    }

    fn caller(roles: &[(Uuid, Role)]) -> Caller {
        let at = Utc::now();
        Caller {
            user: User {
                id: Uuid::new_v4(),
                email: "ada@example.org".into(),
                name: "Ada".into(),
                failed_logins: 0,
                locked_until: None,
                created_at: at,
                updated_at: at,
            },
            memberships: roles
                .iter()
                .map(|(id, role)| Membership {
                    organisation_id: *id,
                    organisation_name: "Org".into(),
                    role: *role,
                })
                .collect(),
            via: Via::Session,
        }
    }

    #[test]
    fn roles_decide_not_found_forbidden_or_allowed() {
        let (mine, theirs) = (Uuid::new_v4(), Uuid::new_v4());
        let editor = caller(&[(mine, Role::Editor)]);
        assert_eq!(editor.role_in(mine), Some(Role::Editor));
        assert_eq!(editor.role_in(theirs), None);
        assert!(matches!(
            editor.require_member(theirs),
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            editor.require_role(theirs, Role::Viewer),
            Err(AppError::NotFound(_))
        ));
        assert_eq!(
            editor.require_role(mine, Role::Viewer).unwrap(),
            Role::Editor
        );
        assert_eq!(
            editor.require_role(mine, Role::Editor).unwrap(),
            Role::Editor
        );
        assert!(matches!(
            editor.require_role(mine, Role::Admin),
            Err(AppError::Forbidden(_))
        ));
        let admin = caller(&[(mine, Role::Admin)]);
        assert_eq!(admin.require_role(mine, Role::Admin).unwrap(), Role::Admin);
    }
}
