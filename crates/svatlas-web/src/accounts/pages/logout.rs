//! Signing out.

use axum::response::Redirect;
use tower_sessions::Session;

use crate::platform::auth;
use crate::platform::error::PageError;

// `POST /logout`: ends the session.

/// Signs out: the session is deleted on the server and its cookie removed.
#[utoipa::path(post, path = "/logout", tag = "accounts",
    responses((status = 303, description = "Signed out: to the home page")))]
pub async fn post_logout(session: Session) -> Result<Redirect, PageError> {
    auth::sign_out(&session).await?;
    Ok(Redirect::to("/"))
}
