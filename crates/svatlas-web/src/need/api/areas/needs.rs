//! `GET /api/v1/areas/{code}/needs`: the Social Value Model criteria an area most needs.

use crate::need::lookup::{area_summary, normalise_code, parse_edition};
use crate::need::needs::METHOD;
use crate::need::needs::NeedItem;
use crate::need::needs::NeedsQuery;
use crate::need::needs::NeedsResponse;
use crate::need::needs::evidence;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::platform::extract::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use svatlas_areas::geography::Edition;
use svatlas_areas::needs::{self};

/// Ranks the Social Value Model criteria (2020 MACs or 2025 missions and outcomes) by how much
/// the area needs them, from its deprivation domains, with the evidence: indicator, the area's
/// value, national decile and comparison with England.
#[utoipa::path(get, path = "/api/v1/areas/{code}/needs", tag = "areas",
    params(("code" = String, Path, description = "Area code, e.g. `E06000009`"), NeedsQuery),
    responses(
        (status = 200, description = "Criteria ranked by need", body = NeedsResponse),
        (status = 404, description = "No area with that code", body = ErrorBody),
        (status = 422, description = "Unknown edition, or the area has no LSOAs in the IoD edition", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_needs(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<NeedsQuery>,
) -> Result<Json<NeedsResponse>, AppError> {
    let data = state.area_data()?;
    let mapping = state.needs_mapping()?;
    let svm_edition = match query.edition.as_deref().map(str::trim) {
        None | Some("") => "2025",
        Some("2020") => "2020",
        Some("2025") => "2025",
        Some(other) => {
            return Err(AppError::invalid(
                "invalid_edition",
                "edition",
                format!("edition is the Social Value Model edition, 2020 or 2025, not {other:?}"),
            ));
        }
    };
    let iod = parse_edition("iod", query.iod.as_deref(), Edition::Iod2025)?;
    let (area, summary) = area_summary(data, &normalise_code(&code), iod)?;
    let england = data.england(iod);
    let frame = data.frame();
    let items = needs::rank_needs(&summary, mapping, Some(svm_edition))
        .into_iter()
        .enumerate()
        .map(|(i, need)| NeedItem {
            rank: i + 1,
            svm_edition: need.svm_edition,
            mac_id: need.mac_id,
            title: need.title,
            theme: need.theme,
            policy_outcome: need.policy_outcome,
            score: need.score,
            evidence: need
                .evidence
                .into_iter()
                .map(|e| evidence(frame, iod, &area, &summary, england, e))
                .collect(),
        })
        .collect();
    Ok(Json(NeedsResponse {
        area,
        svm_edition: svm_edition.to_owned(),
        iod_edition: iod.dataset_id().to_owned(),
        method: METHOD,
        items,
    }))
}
