//! `GET /api/v1/areas/{code}/change`: relative change between IoD2019 and IoD2025.

use crate::need::change::ChangeQuery;
use crate::need::change::ChangeResponse;
use crate::need::change::LsoaChangeItem;
use crate::need::change::NOTE;
use crate::need::change::change_code;
use crate::need::lookup::{AreaLabel, normalise_code, resolve_area};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::platform::extract::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use svatlas_areas::catalog::IodDomain;
use svatlas_areas::change::{ChangeLabel, ChangeSummary};

/// Shows how the area's LSOAs moved between IoD2019 and IoD2025 relative to the rest of England,
/// joined through the ONS LSOA 2011 -> 2021 lookup. A relative-rank change, never a
/// like-for-like score change (see `note`). Areas that no longer exist (LSOAs 2011, districts of
/// 2019) are followed to their 2021 successors.
#[utoipa::path(get, path = "/api/v1/areas/{code}/change", tag = "areas",
    params(("code" = String, Path, description = "Area code, e.g. `E06000026`, `E01021988`"), ChangeQuery),
    responses(
        (status = 200, description = "Relative change", body = ChangeResponse),
        (status = 404, description = "No area with that code", body = ErrorBody),
        (status = 422, description = "Unknown domain, a domain not in both editions, or an area outside England", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_change(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<ChangeQuery>,
) -> Result<Json<ChangeResponse>, AppError> {
    let data = state.area_data()?;
    let frame = data.frame();
    let code = normalise_code(&code);
    let domain_id = query
        .domain
        .as_deref()
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "imd".to_owned());
    let domain = IodDomain::parse(&domain_id).ok_or_else(|| {
        AppError::invalid(
            "unknown_domain",
            "domain",
            format!("no domain {domain_id:?}; use imd, income, employment, education, health, crime, barriers or living_environment"),
        )
    })?;
    let at = resolve_area(frame, &code, None)?;
    let index = data.changes(domain).map_err(|e| {
        AppError::invalid(
            "domain_unavailable",
            "domain",
            format!("{e}; IDACI and IDAOPI are not shipped for IoD2025"),
        )
    })?;
    let mut counts = ChangeSummary::default();
    let mut items = Vec::new();
    for lsoa21 in data.lsoa21_cover(&code) {
        let Some(c) = index.get(&lsoa21) else {
            continue;
        };
        match c.label {
            ChangeLabel::RelativelyMoreDeprived => counts.relatively_more_deprived += 1,
            ChangeLabel::LittleChange => counts.little_change += 1,
            ChangeLabel::RelativelyLessDeprived => counts.relatively_less_deprived += 1,
            ChangeLabel::NotComparable => counts.not_comparable += 1,
        }
        items.push(LsoaChangeItem {
            lsoa21: c.lsoa21.clone(),
            name: c.name.clone(),
            lsoa11: c.lsoa11.clone(),
            change: change_code(c.change).to_owned(),
            percentile_2019: c.percentile_2019,
            percentile_2025: c.percentile_2025,
            decile_2019: c.decile_2019,
            decile_2025: c.decile_2025,
            percentile_change: c.percentile_change,
            label: c.label.into(),
            label_text: c.label.text(),
        });
    }
    if items.is_empty() {
        return Err(AppError::invalid(
            "not_in_england",
            "code",
            format!("{code} contains no LSOAs ranked in both IoD2019 and IoD2025 (England only)"),
        ));
    }
    Ok(Json(ChangeResponse {
        area: AreaLabel::of(frame.get(at)),
        domain: domain.id().to_owned(),
        measure: "relative_rank_change",
        note: NOTE,
        lsoa_count: items.len(),
        counts: counts.into(),
        items,
    }))
}
