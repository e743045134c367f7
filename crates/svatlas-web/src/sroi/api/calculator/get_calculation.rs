//! `GET /api/v1/sroi/calculations/{id}`: a saved calculation.

use axum::Json;
use axum::extract::State;
use svatlas_store::calculations::SavedCalculation;
use uuid::Uuid;

use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::state::AppState;

/// A calculation saved with `"save": true`: the request as sent, the result, the engine version
/// and a content hash of the request.
#[utoipa::path(get, path = "/api/v1/sroi/calculations/{id}", tag = "sroi",
    params(("id" = String, Path, description = "Calculation id returned as `calculation_id`")),
    responses(
        (status = 200, description = "The saved calculation", body = inline(SavedCalculationSchema)),
        (status = 404, description = "No calculation with that id", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn get_calculation(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<SavedCalculation>, AppError> {
    let not_found = || AppError::NotFound(format!("no saved calculation with id {id:?}"));
    let uuid = Uuid::parse_str(&id).map_err(|_| not_found())?;
    match state.store().get_calculation(uuid).await {
        Ok(saved) => Ok(Json(saved)),
        Err(svatlas_store::StoreError::NotFound) => Err(not_found()),
        Err(e) => Err(e.into()),
    }
}

/// OpenAPI description of [`SavedCalculation`] (the store crate does not depend on utoipa).
#[derive(utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "only describes the JSON shape for the OpenAPI document"
)]
pub struct SavedCalculationSchema {
    id: Uuid,
    created_at: chrono::DateTime<chrono::Utc>,
    engine_version: String,
    content_hash: String,
    #[schema(value_type = Object)]
    request: serde_json::Value,
    #[schema(value_type = Object)]
    result: serde_json::Value,
}
