//! `GET /api/v1/areas/{code}/summary`: the MHCLG district-summary measures for an area.

use crate::need::lookup::{area_summary, normalise_code, parse_edition};
use crate::need::summary::SummaryQuery;
use crate::need::summary::SummaryResponse;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::platform::extract::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use svatlas_areas::geography::Edition;

/// Summarises an area with the MHCLG local-authority summary method: per domain the average
/// rank, average score, share of LSOAs in the most deprived 10%, IMD extent and local
/// concentration, Income/Employment scale. A district of the edition's vintage gets the
/// official figures (IoD2025 File 10; IoD2019 computed with the official method) with ranks among
/// districts; wards, regions, England and single LSOAs are summarised from their LSOAs, without
/// ranks.
#[utoipa::path(get, path = "/api/v1/areas/{code}/summary", tag = "areas",
    params(("code" = String, Path, description = "Area code, e.g. `E06000026`"), SummaryQuery),
    responses(
        (status = 200, description = "The summary", body = SummaryResponse),
        (status = 404, description = "No area with that code", body = ErrorBody),
        (status = 422, description = "Unknown edition, or the area has no LSOAs in it", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_summary(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<SummaryQuery>,
) -> Result<Json<SummaryResponse>, AppError> {
    let data = state.area_data()?;
    let edition = parse_edition("edition", query.edition.as_deref(), Edition::Iod2025)?;
    let (area, summary) = area_summary(data, &normalise_code(&code), edition)?;
    Ok(Json(SummaryResponse { area, summary }))
}
