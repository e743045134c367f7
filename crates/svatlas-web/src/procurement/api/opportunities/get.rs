//! `GET /api/v1/opportunities/{id}`: one open listed tender, for anyone.

use axum::Json;
use axum::extract::{Path, State};
use svatlas_store::StoreError;
use svatlas_store::procurement::TenderRecord;
use uuid::Uuid;

use crate::platform::error::{AppError, ErrorBody};
use crate::procurement::api::tenders::TenderBody;
use crate::state::AppState;

/// The tender when it is open and listed; 404 otherwise (drafts and unlisted tenders are the
/// buyer's own).
pub(crate) async fn opportunity(state: &AppState, id: Uuid) -> Result<TenderRecord, AppError> {
    match state.store().opportunity(id).await {
        Ok(t) => Ok(t),
        Err(StoreError::NotFound) => Err(AppError::NotFound(format!(
            "no open opportunity with id {id}: the buyer may have closed it or taken it off the list"
        ))),
        Err(e) => Err(e.into()),
    }
}

/// One opportunity with its settings, questions and weightings (public).
#[utoipa::path(get, path = "/api/v1/opportunities/{id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "The tender", body = TenderBody),
        (status = 404, description = "Not open, not listed, or no such tender", body = ErrorBody)))]
pub async fn get_opportunity(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<TenderBody>, AppError> {
    Ok(Json(opportunity(&state, id).await?.into()))
}
