//! `GET /api/v1/opportunities`: open tenders their buyers list for any supplier to find.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::PER_PAGE;
use crate::error::{AppError, ErrorBody};
use crate::extract::ApiQuery;
use crate::routes::partners::list::positive;
use crate::routes::tenders::TenderBody;
use crate::state::AppState;

/// Which page.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpportunityQuery {
    /// Page, from 1 (default 1); 20 opportunities a page.
    pub page: Option<String>,
}

/// One page of opportunities.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OpportunityList {
    /// Open listed tenders in all.
    pub total: usize,
    /// This page.
    pub page: usize,
    /// Opportunities per page.
    pub per_page: usize,
    /// Number of pages.
    pub pages: usize,
    /// This page's tenders, most recently listed first.
    pub items: Vec<TenderBody>,
}

/// Lists open tenders whose buyers invite requests to bid (public, no token needed).
#[utoipa::path(get, path = "/api/v1/opportunities", tag = "procurement", params(OpportunityQuery),
    responses(
        (status = 200, description = "One page of opportunities", body = OpportunityList),
        (status = 422, description = "page is not a whole number of at least 1", body = ErrorBody)))]
pub async fn list_opportunities(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<OpportunityQuery>,
) -> Result<Json<OpportunityList>, AppError> {
    let page =
        positive("page", query.page.as_deref(), 1).map_err(|e| AppError::Unprocessable(vec![e]))?;
    Ok(Json(opportunity_page(&state, page).await?))
}

/// One page of opportunities (also for the page of people).
pub(crate) async fn opportunity_page(
    state: &AppState,
    page: usize,
) -> Result<OpportunityList, AppError> {
    let offset = (page - 1).saturating_mul(PER_PAGE);
    let (tenders, total) = state
        .store()
        .opportunities(PER_PAGE as i64, i64::try_from(offset).unwrap_or(i64::MAX))
        .await?;
    let total = usize::try_from(total).unwrap_or(0);
    Ok(OpportunityList {
        total,
        page,
        per_page: PER_PAGE,
        pages: total.div_ceil(PER_PAGE).max(1),
        items: tenders.into_iter().map(TenderBody::from).collect(),
    })
}
