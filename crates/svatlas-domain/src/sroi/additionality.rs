//! Optional HCA additionality formula for regeneration-style appraisals (METHOD.md §9).

use serde::{Deserialize, Serialize};

use super::validate::{Collector, FieldError, ValidationErrors, check_share};

/// Inputs to the HCA Additionality Guide formula:
///
/// `[GI (1 − L)(1 − Dp)(1 − S) M] − [GI* (1 − L*)(1 − Dp*)(1 − S*) M*]`
///
/// The reference case (`*`, what would happen anyway) uses the intervention's leakage,
/// displacement, substitution and multiplier unless its own `reference_*` values are given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HcaInputs {
    /// Gross impact of the intervention (jobs, £, ...).
    pub gross: f64,
    /// Leakage (fraction).
    #[serde(default)]
    pub leakage: f64,
    /// Displacement (fraction).
    #[serde(default)]
    pub displacement: f64,
    /// Substitution (fraction).
    #[serde(default)]
    pub substitution: f64,
    /// Composite multiplier (1 = no multiplier effect).
    #[serde(default = "one")]
    pub multiplier: f64,
    /// Gross impact in the reference case (deadweight).
    #[serde(default)]
    pub reference_gross: f64,
    /// Reference-case leakage; defaults to `leakage`.
    #[serde(default)]
    pub reference_leakage: Option<f64>,
    /// Reference-case displacement; defaults to `displacement`.
    #[serde(default)]
    pub reference_displacement: Option<f64>,
    /// Reference-case substitution; defaults to `substitution`.
    #[serde(default)]
    pub reference_substitution: Option<f64>,
    /// Reference-case multiplier; defaults to `multiplier`.
    #[serde(default)]
    pub reference_multiplier: Option<f64>,
}

const fn one() -> f64 {
    1.0
}

impl HcaInputs {
    /// Checks shares are in [0, 1] and amounts are finite (multipliers must also be ≥ 0).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Collector::default();
        let shares = [
            ("leakage", Some(self.leakage)),
            ("displacement", Some(self.displacement)),
            ("substitution", Some(self.substitution)),
            ("reference_leakage", self.reference_leakage),
            ("reference_displacement", self.reference_displacement),
            ("reference_substitution", self.reference_substitution),
        ];
        for (name, value) in shares {
            if let Some(v) = value {
                check_share(&mut c, || name.to_string(), name, v);
            }
        }
        for (name, value) in [
            ("gross", self.gross),
            ("reference_gross", self.reference_gross),
        ] {
            if !value.is_finite() {
                c.push(FieldError::new(
                    "invalid",
                    name,
                    format!("{name} must be a finite number"),
                ));
            }
        }
        for (name, value) in [
            ("multiplier", Some(self.multiplier)),
            ("reference_multiplier", self.reference_multiplier),
        ] {
            if let Some(v) = value
                && !(v.is_finite() && v >= 0.0)
            {
                c.push(FieldError::new(
                    "out_of_range",
                    name,
                    format!(
                        "{name} must be a finite number of 0 or more (1 means no multiplier effect)"
                    ),
                ));
            }
        }
        c.finish()
    }
}

/// Additional impact by the HCA formula. Inputs are not validated here (NaN in gives NaN out);
/// call [`HcaInputs::validate`] first for user data.
///
/// ```
/// use svatlas_domain::sroi::{HcaInputs, additionality};
/// let jobs = HcaInputs {
///     gross: 100.0, leakage: 0.1, displacement: 0.25, substitution: 0.0, multiplier: 1.2,
///     reference_gross: 20.0, reference_leakage: None, reference_displacement: None,
///     reference_substitution: None, reference_multiplier: None,
/// };
/// assert!((additionality(&jobs) - 64.8).abs() < 1e-9); // 81.0 − 16.2
/// ```
pub fn additionality(inputs: &HcaInputs) -> f64 {
    let net = |gross: f64, l: f64, dp: f64, s: f64, m: f64| {
        gross * (1.0 - l) * (1.0 - dp) * (1.0 - s) * m
    };
    let intervention = net(
        inputs.gross,
        inputs.leakage,
        inputs.displacement,
        inputs.substitution,
        inputs.multiplier,
    );
    let reference = net(
        inputs.reference_gross,
        inputs.reference_leakage.unwrap_or(inputs.leakage),
        inputs.reference_displacement.unwrap_or(inputs.displacement),
        inputs.reference_substitution.unwrap_or(inputs.substitution),
        inputs.reference_multiplier.unwrap_or(inputs.multiplier),
    );
    intervention - reference
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_case_can_differ() {
        let mut i: HcaInputs =
            serde_json::from_str(r#"{"gross": 100, "reference_gross": 20}"#).expect("parse");
        assert_eq!(i.multiplier, 1.0);
        assert_eq!(additionality(&i), 80.0);
        i.reference_leakage = Some(0.5);
        assert_eq!(additionality(&i), 90.0);
        assert_eq!(i.validate(), Ok(()));
        i.reference_multiplier = Some(-1.0);
        i.substitution = 2.0;
        let e = i.validate().expect_err("invalid");
        assert!(e.for_field("reference_multiplier").is_some());
        assert!(e.for_field("substitution").is_some());
    }
}
