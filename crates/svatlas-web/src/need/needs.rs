//! What the needs API and the area and tender pages share: the Social Value Model criteria an
//! area most needs (`GET /api/v1/areas/{code}/needs`) and the evidence behind them.

use serde::{Deserialize, Serialize};
use svatlas_areas::catalog::IodDomain;
use svatlas_areas::geography::Edition;
use svatlas_areas::needs::{NeedEvidence, Strength};
use svatlas_areas::{AreaFrame, Summary};

use crate::need::lookup::AreaLabel;

/// Percentile points of need within which an area is reported as similar to England.
pub const SIMILAR_TO_ENGLAND_POINTS: f64 = 5.0;

/// Which model and which deprivation edition.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NeedsQuery {
    /// Social Value Model edition: `2020` (themes, policy outcomes and MACs such as `MAC 2.2`)
    /// or `2025` (missions and policy outcomes); default `2025`.
    #[param(schema_with = model_edition_schema)]
    pub edition: Option<String>,
    /// Indices of Deprivation edition the need is measured with: `iod2019` or `iod2025`
    /// (default).
    #[param(schema_with = crate::need::lookup::edition_schema)]
    pub iod: Option<String>,
}

/// The Social Value Model editions, for the API description.
fn model_edition_schema() -> utoipa::openapi::Object {
    crate::platform::openapi::one_of(["2020", "2025"])
}

/// Evidence from one deprivation domain behind a criterion.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedEvidenceItem {
    /// Domain id (`income`, `employment`, ...).
    pub domain: String,
    /// Domain name.
    pub domain_label: String,
    /// LSOA indicator the figures are built from, e.g. `iod2025.income.score`.
    pub indicator: String,
    /// `average_score` (population-weighted mean score) or, where scores are not shipped
    /// (most IoD2019 domains), `average_rank` (population-weighted mean of N + 1 - rank).
    pub measure: &'static str,
    /// The area's value of `measure`.
    pub value: Option<f64>,
    /// England's value of `measure`.
    pub england_value: Option<f64>,
    /// National decile (1 = most deprived 10% of LSOAs): an LSOA's own decile; for larger
    /// areas the decile in which their population-weighted average rank falls.
    pub national_decile: Option<u8>,
    /// Need in the domain: 100 x average reversed rank / N (100 = as deprived as the most
    /// deprived LSOA).
    pub need: f64,
    /// England's need in the domain (about 50).
    pub england_need: Option<f64>,
    /// `more deprived than England`, `similar to England` (need within 5 points) or
    /// `less deprived than England`.
    pub comparison: Option<&'static str>,
    /// Share of the area's LSOAs in the most deprived 10% nationally (England: 0.1).
    pub proportion_most_deprived_10pc: Option<f64>,
    /// How directly the criterion acts on the domain: `strong`, `moderate`, `weak`.
    pub strength: &'static str,
    /// Why the domain relates to the criterion.
    pub rationale: String,
}

/// One Social Value Model criterion, ranked by need.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedItem {
    /// 1 = most needed.
    pub rank: usize,
    /// `2020` or `2025`.
    pub svm_edition: String,
    /// MAC id exactly as written in the model (e.g. `MAC 2.2`, `MAC 1a`); null where the
    /// mapping is to a 2025 policy outcome.
    pub mac_id: Option<String>,
    /// MAC title, or the policy outcome.
    pub title: String,
    /// Theme (2020) or mission (2025).
    pub theme: String,
    /// Policy outcome.
    pub policy_outcome: String,
    /// Highest need x strength weight over the evidence (0-100; strong 1, moderate 0.75,
    /// weak 0.5).
    pub score: f64,
    /// Supporting domains, strongest first.
    pub evidence: Vec<NeedEvidenceItem>,
}

/// The criteria an area most needs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedsResponse {
    /// The area.
    pub area: AreaLabel,
    /// Social Value Model edition.
    pub svm_edition: String,
    /// Indices of Deprivation edition used.
    pub iod_edition: String,
    /// How the ranking is made.
    pub method: &'static str,
    /// Criteria, most needed first.
    pub items: Vec<NeedItem>,
}

pub(crate) const METHOD: &str = "Each deprivation domain's need is the area's population-weighted average \
    reversed rank as a percentile of England (100 = most deprived). data/need-to-svm.csv maps each \
    domain to the Social Value Model criteria that act on it with a strength (strong 1, moderate \
    0.75, weak 0.5); a criterion scores the highest need x strength among its domains. The mapping \
    is written by sv-atlas, not an official product.";

/// The engine's evidence plus what a reader needs to judge it: indicator, value, decile, England.
pub(crate) fn evidence(
    frame: &AreaFrame,
    iod: Edition,
    area: &AreaLabel,
    summary: &Summary,
    england: Option<&Summary>,
    e: NeedEvidence,
) -> NeedEvidenceItem {
    let ds = iod.dataset_id();
    let score_id = format!("{ds}.{}.score", e.domain);
    let has_score = frame.indicator(&score_id).is_some();
    let (indicator, measure) = if has_score {
        (score_id, "average_score")
    } else {
        (format!("{ds}.{}.rank", e.domain), "average_rank")
    };
    let pick = |s: &Summary| {
        s.domains.get(&e.domain).and_then(|d| {
            if has_score {
                d.average_score
            } else {
                d.average_rank
            }
        })
    };
    let n = iod.lsoa_count() as f64;
    let england_need = england
        .and_then(|s| s.domains.get(&e.domain))
        .and_then(|d| d.average_rank)
        .map(|r| 100.0 * r / n);
    // An LSOA has an official decile; a larger area gets the decile its average rank falls in.
    let own_decile = (area.area_type == iod.lsoa_type().as_str())
        .then_some(area.code.as_deref())
        .flatten()
        .and_then(|code| frame.value(&format!("{ds}.{}.decile", e.domain), code));
    let national_decile = own_decile
        .map(|d| d.clamp(1.0, 10.0) as u8)
        .or_else(|| Some(((100.0 - e.need) / 10.0).ceil().clamp(1.0, 10.0) as u8));
    let comparison = england_need.map(|en| {
        let diff = e.need - en;
        if diff > SIMILAR_TO_ENGLAND_POINTS {
            "more deprived than England"
        } else if diff < -SIMILAR_TO_ENGLAND_POINTS {
            "less deprived than England"
        } else {
            "similar to England"
        }
    });
    NeedEvidenceItem {
        domain_label: IodDomain::parse(&e.domain)
            .map(|d| d.label().to_owned())
            .unwrap_or_default(),
        indicator,
        measure,
        value: pick(summary),
        england_value: england.and_then(pick),
        national_decile,
        need: e.need,
        england_need,
        comparison,
        proportion_most_deprived_10pc: e.proportion_most_deprived_10pc,
        strength: match e.strength {
            Strength::Strong => "strong",
            Strength::Moderate => "moderate",
            Strength::Weak => "weak",
        },
        rationale: e.rationale,
        domain: e.domain,
    }
}
