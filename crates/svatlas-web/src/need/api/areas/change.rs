//! `GET /api/v1/areas/{code}/change`: relative change between IoD2019 and IoD2025.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use svatlas_areas::catalog::IodDomain;
use svatlas_areas::change::{ChangeLabel, ChangeSummary};
use svatlas_areas::geography::ChangeCode;

use crate::need::lookup::{AreaLabel, normalise_code, resolve_area};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiQuery;
use crate::state::AppState;

/// What every answer says about reading the change.
pub const NOTE: &str = "Relative-rank change, not a like-for-like score change: ranks are relative \
    within each edition, so a change says an LSOA moved relative to the rest of England, not that \
    it became more or less deprived in absolute terms. IoD2019 and IoD2025 use different \
    indicators, data years and LSOA boundaries; each LSOA 2021 is compared with its LSOA 2011 \
    predecessor(s) through the ONS lookup (U unchanged, S split: the single predecessor's rank, \
    M merged: population-weighted mean percentile of the predecessors, X complex: not comparable).";

/// Which domain to compare.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangeQuery {
    /// Domain id: `imd` (default), `income`, `employment`, `education`, `health`, `crime`,
    /// `barriers`, `living_environment`.
    pub domain: Option<String>,
}

/// Change of one LSOA 2021.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LsoaChangeItem {
    /// LSOA 2021 code.
    pub lsoa21: String,
    /// LSOA 2021 name.
    pub name: String,
    /// LSOA 2011 predecessor(s).
    pub lsoa11: Vec<String>,
    /// ONS change code: `U` unchanged, `S` split, `M` merged, `X` complex.
    pub change: String,
    /// Percentile in 2019 (100 x rank / N; small = more deprived).
    pub percentile_2019: Option<f64>,
    /// Percentile in 2025.
    pub percentile_2025: Option<f64>,
    /// National decile in 2019 (1 = most deprived 10%).
    pub decile_2019: Option<u8>,
    /// National decile in 2025.
    pub decile_2025: Option<u8>,
    /// `percentile_2025 - percentile_2019`; negative = relatively more deprived.
    pub percentile_change: Option<f64>,
    /// `relatively_more_deprived`, `little_change` (under 5 percentile points),
    /// `relatively_less_deprived` or `not_comparable`.
    pub label: ChangeLabelId,
    /// The label in words.
    pub label_text: &'static str,
}

/// The ONS letter of a change code.
fn change_code(code: ChangeCode) -> &'static str {
    match code {
        ChangeCode::U => "U",
        ChangeCode::S => "S",
        ChangeCode::M => "M",
        ChangeCode::X => "X",
    }
}

/// Label of a change.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeLabelId {
    /// Moved towards the most deprived end, relative to England.
    RelativelyMoreDeprived,
    /// Moved less than 5 percentile points.
    LittleChange,
    /// Moved towards the least deprived end.
    RelativelyLessDeprived,
    /// Boundary change too complex, or inputs missing.
    NotComparable,
}

impl From<ChangeLabel> for ChangeLabelId {
    fn from(label: ChangeLabel) -> Self {
        match label {
            ChangeLabel::RelativelyMoreDeprived => ChangeLabelId::RelativelyMoreDeprived,
            ChangeLabel::LittleChange => ChangeLabelId::LittleChange,
            ChangeLabel::RelativelyLessDeprived => ChangeLabelId::RelativelyLessDeprived,
            ChangeLabel::NotComparable => ChangeLabelId::NotComparable,
        }
    }
}

/// Number of LSOAs with each label.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ChangeCounts {
    /// LSOAs relatively more deprived.
    pub relatively_more_deprived: usize,
    /// LSOAs with little change.
    pub little_change: usize,
    /// LSOAs relatively less deprived.
    pub relatively_less_deprived: usize,
    /// LSOAs not comparable.
    pub not_comparable: usize,
}

impl From<ChangeSummary> for ChangeCounts {
    fn from(s: ChangeSummary) -> Self {
        ChangeCounts {
            relatively_more_deprived: s.relatively_more_deprived,
            little_change: s.little_change,
            relatively_less_deprived: s.relatively_less_deprived,
            not_comparable: s.not_comparable,
        }
    }
}

/// Relative change of an area's LSOAs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeResponse {
    /// The area.
    pub area: AreaLabel,
    /// Domain compared.
    pub domain: String,
    /// Always `relative_rank_change`.
    pub measure: &'static str,
    /// How to read (and not read) the change.
    pub note: &'static str,
    /// Number of LSOAs 2021 compared.
    pub lsoa_count: usize,
    /// Number of LSOAs with each label.
    pub counts: ChangeCounts,
    /// Every LSOA 2021 of the area.
    pub items: Vec<LsoaChangeItem>,
}

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
    Path(code): Path<String>,
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
