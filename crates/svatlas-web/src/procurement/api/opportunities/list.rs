//! `GET /api/v1/opportunities`: open tenders their buyers list for any supplier to find,
//! searched by words and by place.

use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiQuery;
use crate::platform::extract::positive;
use crate::procurement::opportunities::OpportunityList;
use crate::procurement::opportunities::OpportunityQuery;
use crate::procurement::opportunities::Search;
use crate::procurement::opportunities::opportunity_page;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

/// Lists open tenders whose buyers invite requests to bid (public, no token needed).
#[utoipa::path(get, path = "/api/v1/opportunities", tag = "procurement", params(OpportunityQuery),
    responses(
        (status = 200, description = "One page of opportunities found", body = OpportunityList),
        (status = 422, description = "page is not a whole number of at least 1", body = ErrorBody)))]
pub async fn list_opportunities(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<OpportunityQuery>,
) -> Result<Json<OpportunityList>, AppError> {
    let page =
        positive("page", query.page.as_deref(), 1).map_err(|e| AppError::Unprocessable(vec![e]))?;
    Ok(Json(
        opportunity_page(&state, &Search::of(&query), page).await?,
    ))
}
