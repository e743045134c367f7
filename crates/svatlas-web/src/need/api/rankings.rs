use axum::Json;
use axum::extract::State;

use crate::need::rankings::{RankingQuery, RankingResponse, ranking};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiQuery;
use crate::state::AppState;

// `GET /api/v1/rankings`: areas ranked by one indicator, a page at a time.

/// Ranks the areas of one level (optionally inside one area) by an indicator, most deprived
/// first by default, and returns one page.
#[utoipa::path(get, path = "/api/v1/rankings", tag = "areas",
    params(RankingQuery),
    responses(
        (status = 200, description = "One page of the ranking", body = RankingResponse),
        (status = 422, description = "Unknown indicator, level or `within`, indicator not at the level, bad order or page", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get_rankings(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<RankingQuery>,
) -> Result<Json<RankingResponse>, AppError> {
    Ok(Json(ranking(state.area_data()?, &query, false)?))
}
