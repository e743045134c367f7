//! `GET /api/v1/correlation`: how two indicators vary together across areas.

use crate::need::correlation::CorrelationQuery;
use crate::need::correlation::CorrelationResponse;
use crate::need::correlation::correlation;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

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
