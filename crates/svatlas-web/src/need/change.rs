//! What the change API and the area page share: relative change between IoD2019 and IoD2025
//! (`GET /api/v1/areas/{code}/change`).

use serde::{Deserialize, Serialize};
use svatlas_areas::change::{ChangeLabel, ChangeSummary};
use svatlas_areas::geography::ChangeCode;

use crate::need::lookup::AreaLabel;

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
    #[param(schema_with = domain_schema)]
    pub domain: Option<String>,
}

/// The domain ids the change table covers (IDACI and IDAOPI are not shipped for IoD 2025),
/// for the API description.
fn domain_schema() -> utoipa::openapi::Object {
    crate::platform::openapi::one_of(
        svatlas_areas::catalog::IodDomain::ALL[..8]
            .iter()
            .map(|d| d.id()),
    )
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
pub(crate) fn change_code(code: ChangeCode) -> &'static str {
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
