//! Every indicator with the metadata needed to read its values, as the indicators API and the
//! data directory page show them.

use serde::{Deserialize, Serialize};

/// Filters for the indicator list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorQuery {
    /// Only indicators of this dataset (e.g. `iod2025`; `/api/v1/datasets` lists them).
    pub dataset: Option<String>,
    /// Case-insensitive text to find in the indicator id or name (e.g. `income`).
    pub q: Option<String>,
}

/// One indicator.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndicatorInfo {
    /// `<dataset>.<domain>.<measure>`, e.g. `iod2019.imd.score`.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Dataset id.
    pub dataset: String,
    /// Dataset edition, e.g. `2019`, `2020 v2`.
    pub edition: String,
    /// Publisher of the dataset.
    pub publisher: String,
    /// Licence of the dataset, e.g. `OGL-UK-3.0`.
    pub licence: String,
    /// Unit: `rank`, `decile`, `score`, `rate`, `proportion`, `%`, `persons`, ...
    pub unit: String,
    /// Area types that hold values of the indicator (e.g. `["lsoa21"]`); the first is its main
    /// geography.
    pub geography: Vec<String>,
    /// Definition and caveats.
    pub description: String,
    /// `true` if a higher value means more deprived, `false` if less deprived (ranks, where
    /// 1 = most deprived; the Health Index, where higher = healthier), `null` if the indicator
    /// has no deprivation direction (population counts, tenure shares).
    pub higher_is_more_deprived: Option<bool>,
    /// The same as a word: `higher_is_more_deprived`, `higher_is_less_deprived` or null.
    pub direction: Option<&'static str>,
}

/// The indicator list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndicatorList {
    /// Number of indicators listed.
    pub count: usize,
    /// The indicators, in dataset order.
    pub items: Vec<IndicatorInfo>,
}

/// `higher_is_more_deprived` as a word.
pub fn direction(higher_is_more_deprived: Option<bool>) -> Option<&'static str> {
    higher_is_more_deprived.map(|more| {
        if more {
            "higher_is_more_deprived"
        } else {
            "higher_is_less_deprived"
        }
    })
}
