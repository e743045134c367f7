//! The MHCLG district-summary measures for an area, as the summary APIs answer them
//! (`GET /api/v1/areas/{code}/summary`, `POST /api/v1/areas/summary`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use svatlas_areas::Summary;

use crate::need::lookup::AreaLabel;

/// Which edition of the Indices of Deprivation to summarise.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// `iod2019` (LSOA 2011, LAD 2019) or `iod2025` (LSOA 2021, LAD 2024); default `iod2025`.
    #[param(schema_with = crate::need::lookup::edition_schema)]
    pub edition: Option<String>,
}

/// A summary of an area, or of a list of LSOAs (then `area` is the custom area).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SummaryResponse {
    /// The area summarised.
    pub area: AreaLabel,
    /// Edition, number of LSOAs, population, weights and per-domain measures.
    #[serde(flatten)]
    #[schema(inline, value_type = SummarySchema)]
    pub summary: Summary,
}

/// OpenAPI description of the summary figures (the area engine does not depend on utoipa).
#[derive(utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "only describes the JSON shape for the OpenAPI document"
)]
pub struct SummarySchema {
    /// `iod2019` or `iod2025`.
    edition: String,
    /// Number of LSOAs summarised.
    lsoa_count: usize,
    /// Total population of the weights used (null if not available).
    population: Option<f64>,
    /// Which population weights were used.
    population_source: String,
    /// Per domain id (`imd`, `income`, `employment`, `education`, `health`, `crime`,
    /// `barriers`, `living_environment`, `idaci`, `idaopi`); domains without data in the
    /// edition are absent.
    domains: BTreeMap<String, DomainSummarySchema>,
}

/// OpenAPI description of one domain's summary. `rank_of_*` (1 = most deprived) exist only for
/// districts of the edition's own vintage; they are null for any other area. Every figure is
/// null where it cannot be computed from the shipped data.
#[derive(utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "only describes the JSON shape for the OpenAPI document"
)]
pub struct DomainSummarySchema {
    /// Population-weighted mean of `N + 1 - rank` (higher = more deprived).
    average_rank: Option<f64>,
    /// Rank of `average_rank` among districts.
    rank_of_average_rank: Option<u32>,
    /// Population-weighted mean score.
    average_score: Option<f64>,
    /// Rank of `average_score` among districts.
    rank_of_average_score: Option<u32>,
    /// Share of LSOAs in the most deprived 10% nationally.
    proportion_most_deprived_10pc: Option<f64>,
    /// Rank of the proportion among districts.
    rank_of_proportion_most_deprived_10pc: Option<u32>,
    /// IMD only: population-weighted share in the most deprived 30% (sliding weights).
    extent: Option<f64>,
    /// IMD only: rank of `extent`.
    rank_of_extent: Option<u32>,
    /// IMD only: mean reversed rank of the most deprived LSOAs holding 10% of the population.
    local_concentration: Option<f64>,
    /// IMD only: rank of `local_concentration`.
    rank_of_local_concentration: Option<u32>,
    /// Income and Employment only: number of deprived people.
    scale: Option<f64>,
    /// Income and Employment only: rank of `scale`.
    rank_of_scale: Option<u32>,
}
