use axum::Json;
use axum::extract::State;

use crate::need::correlation::{CorrelationQuery, CorrelationResponse, correlation};
use crate::need::correlation_matrix::{MatrixRequest, MatrixResponse, matrix};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

// `GET /api/v1/correlation`: how two indicators vary together across areas.

/// Correlates two indicators over the areas of one level, using only areas where both exist:
/// Pearson's r with its 95% interval and p-value, Spearman's rho, and a plain reading. Fewer
/// than 10 complete pairs is 422.
#[utoipa::path(get, path = "/api/v1/correlation", tag = "areas",
    params(CorrelationQuery),
    responses(
        (status = 200, description = "The correlation", body = CorrelationResponse),
        (status = 422, description = "Unknown indicator (`field` is x or y), indicator not at the level, unknown `within`, or fewer than 10 pairs", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get_correlation(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CorrelationQuery>,
) -> Result<Json<CorrelationResponse>, AppError> {
    Ok(Json(correlation(state.area_data()?, &query)?))
}

// `POST /api/v1/correlation/matrix`: Pearson's r between every pair of up to 20 indicators.

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
