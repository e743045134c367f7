//! Inputs (the denominator) as people enter them: cash, in-kind, volunteer time and staff time,
//! each a value times a volume in a given year (METHOD.md section 2), summed into the
//! `inputs_by_year` the engine discounts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What kind of resource an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InputCategory {
    /// Grants, contract payments, match funding.
    Cash,
    /// Donated goods, space or services at the price the organisation would otherwise pay.
    InKind,
    /// Volunteer hours times an hourly rate the user chooses and shows.
    VolunteerTime,
    /// Staff hours times a staff cost rate.
    StaffTime,
}

/// One input: `value` per unit times `volume` units (e.g. £12.21 an hour × 400 hours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Input {
    /// What it is ("Council grant", "Volunteer hours at the National Living Wage").
    pub description: String,
    /// Kind of resource.
    pub category: InputCategory,
    /// £ per unit (or the whole amount with a volume of 1).
    pub value: f64,
    /// Number of units (hours, items); 1 for a lump sum.
    #[serde(default = "one")]
    pub volume: f64,
    /// Year spent, 0 = the start (undiscounted).
    #[serde(default)]
    pub year: u32,
    /// Share spent outside the target area. Recorded and reported as local spend; not deducted
    /// from the denominator (METHOD.md section 2, rule 4).
    #[serde(default)]
    pub leakage: f64,
}

const fn one() -> f64 {
    1.0
}

impl Input {
    /// `value × volume`, in £.
    pub fn amount(&self) -> f64 {
        self.value * self.volume
    }
}

/// Sums inputs into the engine's `inputs_by_year` (years as strings, as in the JSON API).
pub fn inputs_by_year(inputs: &[Input]) -> BTreeMap<String, f64> {
    let mut by_year: BTreeMap<u32, f64> = BTreeMap::new();
    for input in inputs {
        *by_year.entry(input.year).or_default() += input.amount();
    }
    by_year
        .into_iter()
        .map(|(year, amount)| (year.to_string(), amount))
        .collect()
}

/// Undiscounted spend inside the target area: each input's amount less its leakage share.
pub fn local_spend(inputs: &[Input]) -> f64 {
    inputs
        .iter()
        .map(|i| i.amount() * (1.0 - i.leakage.clamp(0.0, 1.0)))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(category: InputCategory, value: f64, volume: f64, year: u32) -> Input {
        Input {
            description: String::new(),
            category,
            value,
            volume,
            year,
            leakage: 0.0,
        }
    }

    #[test]
    fn example_one_inputs_sum_to_the_published_total() {
        // METHOD.md Example 1: grant £50,000 + venue £2,000 + 400 h × £12.21.
        let inputs = [
            input(InputCategory::Cash, 50_000.0, 1.0, 0),
            input(InputCategory::InKind, 2_000.0, 1.0, 0),
            input(InputCategory::VolunteerTime, 12.21, 400.0, 0),
        ];
        let by_year = inputs_by_year(&inputs);
        assert_eq!(by_year.len(), 1);
        assert!((by_year["0"] - 56_884.0).abs() < 1e-9, "{by_year:?}");
    }

    #[test]
    fn example_two_inputs_split_by_year() {
        // METHOD.md Example 2: year 0 £120,000 + £15,000 + 2,500 h × £11.44; year 1 £10,000.
        let inputs = [
            input(InputCategory::Cash, 120_000.0, 1.0, 0),
            input(InputCategory::InKind, 15_000.0, 1.0, 0),
            input(InputCategory::VolunteerTime, 11.44, 2_500.0, 0),
            input(InputCategory::Cash, 10_000.0, 1.0, 1),
        ];
        let by_year = inputs_by_year(&inputs);
        assert!((by_year["0"] - 163_600.0).abs() < 1e-9);
        assert!((by_year["1"] - 10_000.0).abs() < 1e-9);
    }

    #[test]
    fn leakage_reduces_local_spend_but_not_inputs() {
        let mut grant = input(InputCategory::Cash, 100.0, 1.0, 0);
        grant.leakage = 0.25;
        let staff = input(InputCategory::StaffTime, 20.0, 5.0, 0);
        let inputs = [grant, staff];
        assert!((local_spend(&inputs) - 175.0).abs() < 1e-9);
        assert!((inputs_by_year(&inputs)["0"] - 200.0).abs() < 1e-9);
    }

    #[test]
    fn categories_use_snake_case_names() {
        let json = serde_json::to_string(&InputCategory::VolunteerTime).expect("serialises");
        assert_eq!(json, "\"volunteer_time\"");
        let parsed: Input = serde_json::from_str(
            r#"{"description": "venue", "category": "in_kind", "value": 2000}"#,
        )
        .expect("parses with defaults");
        assert_eq!(parsed.volume, 1.0);
        assert_eq!(parsed.year, 0);
    }
}
