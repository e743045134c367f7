//! `POST /account/tokens/{id}/revoke`: revokes one of your API tokens.

use axum::extract::{Path, State};
use axum::response::Redirect;
use svatlas_store::StoreError;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::state::AppState;

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
