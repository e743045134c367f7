//! `GET /api/v1/transparency/{id}`: a buyer's published figures (public).

use axum::Json;
use axum::extract::State;
use uuid::Uuid;

use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::procurement::transparency::{Transparency, transparency_of};
use crate::state::AppState;

/// A buyer's transparency figures: contracts, commitments and verified delivery (public, for
/// buyers who publish them; no personal data).
#[utoipa::path(get, path = "/api/v1/transparency/{id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Buyer organisation id")),
    responses(
        (status = 200, description = "The published figures", body = Transparency),
        (status = 404, description = "The organisation does not publish a transparency page", body = ErrorBody)))]
pub async fn get_transparency(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Transparency>, AppError> {
    Ok(Json(transparency_of(&state, id).await?))
}
