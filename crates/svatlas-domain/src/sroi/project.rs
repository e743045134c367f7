//! The project shape the engine reads: inputs by year, outcomes and calculation options.
//!
//! The JSON shape is exactly that of an example in `sroi-test-vectors.json`; unknown top-level
//! keys (`name`, `note`, `expected`, ...) are ignored so stored vectors deserialize directly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rag::RagThresholds;

/// When a benefit year is discounted (METHOD.md §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    /// SROI Guide "end of year" timing (default): benefit year `t` uses `DF(t)`, so benefit
    /// year 1 is discounted by 1/1.035.
    #[default]
    SroiGuideEndOfYear,
    /// Green Book "year 0" timing: benefit year `t` uses `DF(t − 1)`, so the first benefit year
    /// is undiscounted. A benefit in year 0 cannot be brought earlier than the base year, so it
    /// also uses `DF(0) = 1`.
    GreenBookYear0,
}

/// Which discount rates apply (METHOD.md §3.5). Inputs and benefits use the same schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiscountSchedule {
    /// HM Treasury Green Book declining schedule (default): 3.5% for years 1–30, 3.0% for 31–75,
    /// 2.5% for 76–125, 2.0% for 126–200, 1.5% for 201–300 and 1.0% after.
    #[default]
    GreenBookStandard,
    /// One flat rate for every year, taken from [`Project::flat_rate`].
    Flat,
    /// No discounting (every factor is 1): the undiscounted view.
    Zero,
}

/// One of the four multiplicative deflators applied to an outcome's gross value (METHOD.md §3.3).
///
/// Drop-off is not one of them: it shapes the time profile rather than the year-1 share claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Deflator {
    /// Share of the benefit going outside the target area or group.
    Leakage,
    /// Share of the outcome that would have happened anyway.
    Deadweight,
    /// Share of the outcome that merely moved from elsewhere.
    Displacement,
    /// Share of the outcome caused by others.
    Attribution,
}

impl Deflator {
    /// The four deflators in the order they are listed in METHOD.md §3.3.
    pub const ALL: [Self; 4] = [
        Self::Leakage,
        Self::Deadweight,
        Self::Displacement,
        Self::Attribution,
    ];

    /// The JSON field name of this deflator on an [`Outcome`].
    pub const fn field(self) -> &'static str {
        match self {
            Self::Leakage => "leakage",
            Self::Deadweight => "deadweight",
            Self::Displacement => "displacement",
            Self::Attribution => "attribution",
        }
    }

    /// Position in [`Deflator::ALL`]; used to index per-deflator arrays.
    pub(crate) const fn index(self) -> usize {
        match self {
            Self::Leakage => 0,
            Self::Deadweight => 1,
            Self::Displacement => 2,
            Self::Attribution => 3,
        }
    }
}

/// A project to evaluate: what was put in, what changed, and how to discount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    /// Timing convention for benefits; defaults to `sroi_guide_end_of_year`.
    #[serde(default)]
    pub convention: Convention,
    /// Discount schedule; defaults to `green_book_standard`.
    #[serde(default)]
    pub discount_schedule: DiscountSchedule,
    /// Flat discount rate as a fraction (0.07 = 7%). Required when `discount_schedule` is
    /// `flat`, ignored (with a warning) otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat_rate: Option<f64>,
    /// Inputs in £ by the year they are spent. Keys are whole years as strings (`"0"`, `"1"`);
    /// year 0 is undiscounted, later years use that year's discount factor.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::amounts_by_year))]
    pub inputs_by_year: BTreeMap<String, f64>,
    /// The outcomes (changes experienced by stakeholders), each valued with a financial proxy.
    pub outcomes: Vec<Outcome>,
    /// Optional override of the RAG bands applied to the SROI ratio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rag_thresholds: Option<RagThresholds>,
}

impl Project {
    /// A project with all inputs spent in year 0 and default options.
    pub fn with_year0_inputs(inputs_gbp: f64, outcomes: Vec<Outcome>) -> Self {
        Self {
            inputs_by_year: BTreeMap::from([("0".to_string(), inputs_gbp)]),
            outcomes,
            ..Self::default()
        }
    }
}

const fn one() -> i64 {
    1
}

/// One outcome: a change experienced by `quantity` units, valued at `proxy_gbp` per unit per
/// year, counted for `duration_years` years from `start_year`, reduced by the deflators.
///
/// Deflators are fractions in [0, 1] (0.25 = 25%) and default to 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    /// Name shown in reports.
    pub name: String,
    /// Units experiencing the outcome each year (people, incidents, tonnes...); 0 or more.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1e12))]
    pub quantity: f64,
    /// Financial proxy in £ per unit per year; negative for a disbenefit.
    #[cfg_attr(feature = "openapi", schema(minimum = -1e12, maximum = 1e12))]
    pub proxy_gbp: f64,
    /// Number of years the outcome is counted (1 to 200; default 1).
    #[serde(default = "one")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 200))]
    pub duration_years: i64,
    /// First year of benefit (0 to 200; default 1).
    #[serde(default = "one")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 200))]
    pub start_year: i64,
    /// Share of the benefit going outside the target area or group.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub leakage: f64,
    /// Share of the outcome that would have happened anyway.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub deadweight: f64,
    /// Share of the outcome that merely moved from elsewhere.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub displacement: f64,
    /// Share of the outcome caused by others.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub attribution: f64,
    /// Yearly fractional decline after the first year of benefit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub dropoff: f64,
    /// Stakeholder group; used with `proxy_category` to warn about double counting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stakeholder: Option<String>,
    /// Category of the financial proxy; used with `stakeholder` to warn about double counting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_category: Option<String>,
}

impl Outcome {
    /// An outcome with the given quantity and proxy, lasting one year from year 1, no deflators.
    pub fn new(name: impl Into<String>, quantity: f64, proxy_gbp: f64) -> Self {
        Self {
            name: name.into(),
            quantity,
            proxy_gbp,
            duration_years: 1,
            start_year: 1,
            leakage: 0.0,
            deadweight: 0.0,
            displacement: 0.0,
            attribution: 0.0,
            dropoff: 0.0,
            stakeholder: None,
            proxy_category: None,
        }
    }

    /// Current value of one deflator.
    pub const fn deflator(&self, which: Deflator) -> f64 {
        match which {
            Deflator::Leakage => self.leakage,
            Deflator::Deadweight => self.deadweight,
            Deflator::Displacement => self.displacement,
            Deflator::Attribution => self.attribution,
        }
    }

    /// Sets one deflator.
    pub const fn set_deflator(&mut self, which: Deflator, value: f64) {
        match which {
            Deflator::Leakage => self.leakage = value,
            Deflator::Deadweight => self.deadweight = value,
            Deflator::Displacement => self.displacement = value,
            Deflator::Attribution => self.attribution = value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_and_unknown_keys_are_ignored() {
        let json = r#"{
            "name": "ignored", "expected": {"pv_net": 1.0},
            "inputs_by_year": {"0": 100},
            "outcomes": [{"name": "A", "quantity": 2, "proxy_gbp": 50, "unknown": true}]
        }"#;
        let p: Project = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(p.convention, Convention::SroiGuideEndOfYear);
        assert_eq!(p.discount_schedule, DiscountSchedule::GreenBookStandard);
        assert_eq!(p.flat_rate, None);
        let o = &p.outcomes[0];
        assert_eq!((o.duration_years, o.start_year), (1, 1));
        assert_eq!(o.deadweight, 0.0);
        assert_eq!(o, &Outcome::new("A", 2.0, 50.0));
    }

    #[test]
    fn enums_use_snake_case() {
        let c: Convention = serde_json::from_str("\"green_book_year0\"").expect("known");
        assert_eq!(c, Convention::GreenBookYear0);
        let s: DiscountSchedule = serde_json::from_str("\"flat\"").expect("known");
        assert_eq!(s, DiscountSchedule::Flat);
        assert_eq!(
            serde_json::to_string(&DiscountSchedule::GreenBookStandard).expect("serialize"),
            "\"green_book_standard\""
        );
        assert!(serde_json::from_str::<DiscountSchedule>("\"weekly\"").is_err());
    }

    #[test]
    fn round_trips_through_json() {
        let mut o = Outcome::new("A", 2.0, 50.0);
        o.stakeholder = Some("Participants".into());
        let p = Project::with_year0_inputs(10.0, vec![o]);
        let back: Project =
            serde_json::from_str(&serde_json::to_string(&p).expect("serialize")).expect("parse");
        assert_eq!(back, p);
    }
}
