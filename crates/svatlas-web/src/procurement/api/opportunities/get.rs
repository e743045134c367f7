//! `GET /api/v1/opportunities/{id}`: one open listed tender, for anyone.

use axum::Json;
use axum::extract::State;
use uuid::Uuid;

use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::procurement::api::tenders::TenderBody;
use crate::procurement::opportunities::opportunity;
use crate::state::AppState;

/// One opportunity with its settings, questions and weightings (public).
#[utoipa::path(get, path = "/api/v1/opportunities/{id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "The tender", body = TenderBody),
        (status = 404, description = "Not open, not listed, or no such tender", body = ErrorBody)))]
pub async fn get_opportunity(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<TenderBody>, AppError> {
    Ok(Json(opportunity(&state, id).await?.into()))
}
