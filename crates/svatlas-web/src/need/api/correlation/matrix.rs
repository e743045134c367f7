//! `POST /api/v1/correlation/matrix`: Pearson's r between every pair of up to 20 indicators.

use crate::need::correlation_matrix::MatrixRequest;
use crate::need::correlation_matrix::MatrixResponse;
use crate::need::correlation_matrix::matrix;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

/// Computes Pearson's r (and the number of complete pairs) between every pair of 2 to 20
/// indicators over the areas of one level.
#[utoipa::path(post, path = "/api/v1/correlation/matrix", tag = "areas",
    request_body(content = MatrixRequest, description = "Indicator ids, level and optional area"),
    responses(
        (status = 200, description = "The matrix", body = MatrixResponse),
        (status = 422, description = "Too few or many indicators, unknown indicator (`field` names it), not at the level, unknown `within`", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(indicators = body.value.indicators.len()))]
pub async fn correlation_matrix(
    State(state): State<AppState>,
    body: ApiJson<MatrixRequest>,
) -> Result<Json<MatrixResponse>, AppError> {
    Ok(Json(matrix(state.areas()?, &body.value)?))
}
