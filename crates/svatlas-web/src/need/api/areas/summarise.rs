//! `POST /api/v1/areas/summary`: the district-summary measures for a custom list of LSOAs.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use svatlas_areas::geography::Edition;
use svatlas_areas::summary;

use crate::need::lookup::{AreaLabel, parse_edition, summary_error};
use crate::need::summary::SummaryResponse;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::state::AppState;

/// Most LSOA codes accepted in one request (England has 33,755 LSOAs 2021).
pub const MAX_LSOAS: usize = 40_000;

/// A custom area: a list of LSOAs of one edition.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SummariseRequest {
    /// `iod2019` (LSOA 2011 codes) or `iod2025` (LSOA 2021 codes); default `iod2025`.
    #[schema(schema_with = crate::need::lookup::edition_or_null_schema)]
    pub edition: Option<String>,
    /// LSOA codes of that edition (order and duplicates do not matter); at most 40,000.
    #[schema(min_items = 1, max_items = 40000)]
    pub lsoas: Vec<String>,
}

/// Summarises a custom area (a list of LSOAs) with the MHCLG local-authority summary method.
/// Ranks are null: they exist only among districts. Codes that are not LSOAs of the edition are
/// 422, listed in `error.codes` (`unknown_codes`, or `wrong_edition` for LSOAs of the other
/// edition).
#[utoipa::path(post, path = "/api/v1/areas/summary", tag = "areas",
    request_body(content = SummariseRequest, description = "Edition and LSOA codes"),
    responses(
        (status = 200, description = "The summary of the custom area", body = SummaryResponse),
        (status = 422, description = "Empty or too long list, unknown or wrong-edition codes", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(lsoas = body.value.lsoas.len()))]
pub async fn summarise(
    State(state): State<AppState>,
    body: ApiJson<SummariseRequest>,
) -> Result<Json<SummaryResponse>, AppError> {
    let frame = state.areas()?;
    let request = body.value;
    let edition = parse_edition("edition", request.edition.as_deref(), Edition::Iod2025)?;
    if request.lsoas.len() > MAX_LSOAS {
        return Err(AppError::invalid(
            "too_many_codes",
            "lsoas",
            format!(
                "lsoas lists {} codes; at most {MAX_LSOAS} are accepted",
                request.lsoas.len()
            ),
        ));
    }
    let codes: Vec<String> = request
        .lsoas
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let summary = summary::summarise(frame, edition, &codes)
        .map_err(|e| summary_error(e, edition, "lsoas"))?;
    Ok(Json(SummaryResponse {
        area: AreaLabel::custom(),
        summary,
    }))
}
