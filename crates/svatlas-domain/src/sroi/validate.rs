//! Validation of a [`Project`] before calculation (METHOD.md §10).
//!
//! Every problem is reported (not just the first), each with a machine code, a plain-English
//! message and the JSON path of the offending field. The limits below also bound the work any
//! request can cause: at most [`MAX_OUTCOMES`] × [`MAX_DURATION_YEARS`] outcome-years.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::project::{Deflator, DiscountSchedule, Outcome, Project};

/// Most outcomes a project may have.
pub const MAX_OUTCOMES: usize = 10_000;
/// Latest year allowed for an input or for the start of an outcome.
pub const MAX_YEAR: i64 = 200;
/// Longest outcome duration in years.
pub const MAX_DURATION_YEARS: i64 = 200;
/// Durations above this are allowed but produce a warning.
pub const LONG_DURATION_WARNING_YEARS: i64 = 30;
/// Highest discount rate accepted (20%).
pub const MAX_DISCOUNT_RATE: f64 = 0.20;
/// Largest magnitude of a quantity or of a proxy (£ per unit per year): one trillion. Together
/// with the other limits this keeps every sum finite.
pub const MAX_ABS_AMOUNT: f64 = 1e12;
/// Largest input in a single year (£).
pub const MAX_INPUT_GBP: f64 = 1e15;
/// Most errors listed; past it one `too_many_errors` entry closes the list.
const MAX_REPORTED_ERRORS: usize = 200;
/// Longest user-supplied text (such as an input year key) echoed back in a field path.
const MAX_ECHO_CHARS: usize = 40;

/// One validation problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Machine code: `required`, `out_of_range`, `invalid`, `too_many` or `too_many_errors`.
    pub code: String,
    /// Plain-English explanation that names the field and the accepted values.
    pub message: String,
    /// JSON path of the field, e.g. `outcomes[0].deadweight`, `inputs_by_year.x`, `flat_rate`.
    pub field: String,
}

impl FieldError {
    /// Builds an error from its three parts.
    pub fn new(code: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            field: field.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// All validation problems found in a request; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(transparent)]
#[error("{}", summary(.0))]
pub struct ValidationErrors(pub Vec<FieldError>);

fn summary(errors: &[FieldError]) -> String {
    match errors {
        [] => "invalid project".to_string(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more problems)", rest.len()),
    }
}

impl ValidationErrors {
    /// The first error reported for exactly this field path, if any.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// Prefixes every field path, e.g. with `scenarios[2].` for errors inside a scenario.
    pub(crate) fn prefixed(self, prefix: &str) -> Self {
        Self(
            self.0
                .into_iter()
                .map(|mut e| {
                    e.field = format!("{prefix}{}", e.field);
                    e
                })
                .collect(),
        )
    }
}

/// Collects errors up to [`MAX_REPORTED_ERRORS`].
#[derive(Default)]
pub(crate) struct Collector {
    errors: Vec<FieldError>,
    truncated: bool,
}

impl Collector {
    pub(crate) fn push(&mut self, error: FieldError) {
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(error);
        } else {
            self.truncated = true;
        }
    }

    pub(crate) fn finish(mut self) -> Result<(), ValidationErrors> {
        if self.truncated {
            self.errors.push(FieldError::new(
                "too_many_errors",
                "",
                format!("only the first {MAX_REPORTED_ERRORS} problems are listed"),
            ));
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }
}

/// Shortens user text before echoing it, so a huge key cannot inflate the error body.
fn echo(text: &str) -> String {
    if text.chars().count() <= MAX_ECHO_CHARS {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(MAX_ECHO_CHARS).collect();
        short.push('…');
        short
    }
}

/// Checks a share in [0, 1] (NaN fails).
/// Field paths are built only on failure (`field` is a closure), which keeps validating a
/// large valid project allocation-free.
pub(crate) fn check_share(
    c: &mut Collector,
    field: impl FnOnce() -> String,
    name: &str,
    value: f64,
) {
    if !(0.0..=1.0).contains(&value) {
        c.push(FieldError::new(
            "out_of_range",
            field(),
            format!("{name} must be between 0 and 1 (a share: 0.25 means 25%)"),
        ));
    }
}

/// Checks a discount rate in [0, 0.20] (NaN fails).
pub(crate) fn check_rate(c: &mut Collector, field: impl FnOnce() -> String, value: f64) {
    if !(0.0..=MAX_DISCOUNT_RATE).contains(&value) {
        c.push(FieldError::new(
            "out_of_range",
            field(),
            "flat_rate must be between 0 and 0.20 (a fraction: 0.07 means 7%)",
        ));
    }
}

/// Checks a duration in whole years.
pub(crate) fn check_duration(c: &mut Collector, field: impl FnOnce() -> String, value: i64) {
    if !(1..=MAX_DURATION_YEARS).contains(&value) {
        c.push(FieldError::new(
            "out_of_range",
            field(),
            format!(
                "duration_years must be a whole number of years from 1 to {MAX_DURATION_YEARS}"
            ),
        ));
    }
}

fn check_outcome(c: &mut Collector, index: usize, o: &Outcome) {
    let at = |name: &str| format!("outcomes[{index}].{name}");
    if !o.quantity.is_finite() {
        c.push(FieldError::new(
            "invalid",
            at("quantity"),
            "quantity must be a finite number",
        ));
    } else if !(0.0..=MAX_ABS_AMOUNT).contains(&o.quantity) {
        c.push(FieldError::new(
            "out_of_range",
            at("quantity"),
            "quantity must be 0 or more and at most 1,000,000,000,000",
        ));
    }
    if !o.proxy_gbp.is_finite() {
        c.push(FieldError::new(
            "invalid",
            at("proxy_gbp"),
            "proxy_gbp must be a finite amount of pounds",
        ));
    } else if o.proxy_gbp.abs() > MAX_ABS_AMOUNT {
        c.push(FieldError::new(
            "out_of_range",
            at("proxy_gbp"),
            "proxy_gbp must be between -£1,000,000,000,000 and £1,000,000,000,000 per unit per year",
        ));
    }
    check_duration(c, || at("duration_years"), o.duration_years);
    if !(0..=MAX_YEAR).contains(&o.start_year) {
        c.push(FieldError::new(
            "out_of_range",
            at("start_year"),
            format!(
                "start_year must be a whole year from 0 to {MAX_YEAR} (year 0 is the start of the project)"
            ),
        ));
    }
    for d in Deflator::ALL {
        check_share(c, || at(d.field()), d.field(), o.deflator(d));
    }
    if !(0.0..=1.0).contains(&o.dropoff) {
        c.push(FieldError::new(
            "out_of_range",
            at("dropoff"),
            "dropoff must be between 0 and 1 (a yearly share: 0.25 means the outcome falls by 25% each year)",
        ));
    }
}

/// Parses an `inputs_by_year` key as a whole year in 0..=[`MAX_YEAR`].
pub(crate) fn parse_year(key: &str) -> Option<usize> {
    // Digits only, as the API description states: no sign, no spaces.
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<i64>()
        .ok()
        .filter(|y| (0..=MAX_YEAR).contains(y))
        .and_then(|y| usize::try_from(y).ok())
}

/// Validates a project against METHOD.md §10 and the engine's limits.
///
/// Total inputs of £0 are allowed: the ratios are then reported as undefined.
pub fn validate(project: &Project) -> Result<(), ValidationErrors> {
    let mut c = Collector::default();
    match (project.discount_schedule, project.flat_rate) {
        (DiscountSchedule::Flat, None) => c.push(FieldError::new(
            "required",
            "flat_rate",
            "flat_rate is required when discount_schedule is \"flat\" (a fraction: 0.07 means 7%)",
        )),
        (DiscountSchedule::Flat, Some(rate)) => {
            check_rate(&mut c, || "flat_rate".to_string(), rate)
        }
        // Ignored for other schedules (the engine warns), so it need not be valid.
        _ => {}
    }
    for (key, &amount) in &project.inputs_by_year {
        let field = format!("inputs_by_year.{}", echo(key));
        if parse_year(key).is_none() {
            c.push(FieldError::new(
                "invalid",
                field.clone(),
                format!(
                    "inputs_by_year keys must be whole years from 0 to {MAX_YEAR}; \"{}\" is not",
                    echo(key)
                ),
            ));
        }
        if !amount.is_finite() || !(0.0..=MAX_INPUT_GBP).contains(&amount) {
            c.push(FieldError::new(
                "out_of_range",
                field,
                "each input must be an amount of £0 or more (and at most £1,000,000,000,000,000)",
            ));
        }
    }
    if project.outcomes.len() > MAX_OUTCOMES {
        c.push(FieldError::new(
            "too_many",
            "outcomes",
            format!("a project can have at most {MAX_OUTCOMES} outcomes"),
        ));
    } else {
        for (i, o) in project.outcomes.iter().enumerate() {
            check_outcome(&mut c, i, o);
        }
    }
    if let Some(t) = project.rag_thresholds {
        if !t.amber_from.is_finite() {
            c.push(FieldError::new(
                "invalid",
                "rag_thresholds.amber_from",
                "amber_from must be a finite ratio",
            ));
        }
        if !t.red_above.is_finite() {
            c.push(FieldError::new(
                "invalid",
                "rag_thresholds.red_above",
                "red_above must be a finite ratio",
            ));
        }
        if t.amber_from > t.red_above {
            c.push(FieldError::new(
                "invalid",
                "rag_thresholds",
                "amber_from must not be greater than red_above",
            ));
        }
    }
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_years_are_written_in_digits_as_the_api_description_says() {
        for (key, year) in [
            ("0", Some(0)),
            ("7", Some(7)),
            ("007", Some(7)),
            ("200", Some(200)),
        ] {
            assert_eq!(parse_year(key), year, "{key:?}");
        }
        for key in ["", " 1", "+1", "-0", "201", "1.0", "x"] {
            assert_eq!(parse_year(key), None, "{key:?}");
        }
    }
    use crate::sroi::{RagThresholds, calculate};

    fn project() -> Project {
        let mut o = Outcome::new("A", 20.0, 6500.0);
        o.duration_years = 3;
        Project::with_year0_inputs(56_884.0, vec![o])
    }

    fn errors(p: &Project) -> ValidationErrors {
        validate(p).expect_err("should be invalid")
    }

    #[test]
    fn valid_project_passes() {
        assert_eq!(validate(&project()), Ok(()));
    }

    #[test]
    fn deflator_out_of_range_names_the_field() {
        let mut p = project();
        p.outcomes[0].deadweight = 1.5;
        let e = errors(&p);
        assert_eq!(e.0.len(), 1);
        let err = &e.0[0];
        assert_eq!(err.field, "outcomes[0].deadweight");
        assert_eq!(err.code, "out_of_range");
        assert_eq!(
            err.message,
            "deadweight must be between 0 and 1 (a share: 0.25 means 25%)"
        );
        // calculate refuses it too, with the same error.
        assert_eq!(calculate(&p).expect_err("invalid"), e);
    }

    #[test]
    fn every_deflator_and_nan_is_checked() {
        let mut p = project();
        p.outcomes.push(Outcome::new("B", 1.0, 1.0));
        p.outcomes[1].leakage = f64::NAN;
        p.outcomes[1].displacement = -0.1;
        p.outcomes[1].attribution = 1.01;
        p.outcomes[1].dropoff = f64::INFINITY;
        let e = errors(&p);
        for f in ["leakage", "displacement", "attribution", "dropoff"] {
            let path = format!("outcomes[1].{f}");
            let err = e
                .for_field(&path)
                .unwrap_or_else(|| panic!("missing {path}"));
            assert!(err.message.starts_with(f), "{}", err.message);
        }
        assert_eq!(e.0.len(), 4);
    }

    #[test]
    fn boundaries_of_deflators_are_valid() {
        let mut p = project();
        p.outcomes[0].deadweight = 1.0;
        p.outcomes[0].dropoff = 1.0;
        p.outcomes[0].leakage = 0.0;
        assert_eq!(validate(&p), Ok(()));
    }

    #[test]
    fn duration_start_and_quantity() {
        let mut p = project();
        p.outcomes[0].duration_years = 0;
        p.outcomes[0].start_year = -1;
        p.outcomes[0].quantity = -2.0;
        p.outcomes[0].proxy_gbp = f64::NEG_INFINITY;
        let e = errors(&p);
        assert_eq!(
            e.for_field("outcomes[0].duration_years")
                .map(|e| e.code.as_str()),
            Some("out_of_range")
        );
        assert!(e.for_field("outcomes[0].start_year").is_some());
        assert!(e.for_field("outcomes[0].quantity").is_some());
        assert_eq!(
            e.for_field("outcomes[0].proxy_gbp")
                .map(|e| e.code.as_str()),
            Some("invalid")
        );

        let mut p = project();
        p.outcomes[0].duration_years = 201;
        p.outcomes[0].start_year = 201;
        assert_eq!(errors(&p).0.len(), 2);
        p.outcomes[0].duration_years = 200;
        p.outcomes[0].start_year = 200;
        assert_eq!(validate(&p), Ok(()));
    }

    #[test]
    fn flat_rate_rules() {
        let mut p = project();
        p.discount_schedule = DiscountSchedule::Flat;
        let e = errors(&p);
        assert_eq!(e.0[0].field, "flat_rate");
        assert_eq!(e.0[0].code, "required");
        p.flat_rate = Some(0.21);
        assert_eq!(errors(&p).0[0].code, "out_of_range");
        p.flat_rate = Some(-0.01);
        assert!(validate(&p).is_err());
        p.flat_rate = Some(0.20);
        assert_eq!(validate(&p), Ok(()));
        // Ignored (not validated) when the schedule is not flat.
        p.discount_schedule = DiscountSchedule::Zero;
        p.flat_rate = Some(f64::NAN);
        assert_eq!(validate(&p), Ok(()));
    }

    #[test]
    fn input_keys_and_amounts() {
        let mut p = project();
        p.inputs_by_year.insert("x".into(), 5.0);
        p.inputs_by_year.insert("201".into(), 5.0);
        p.inputs_by_year.insert("2".into(), -5.0);
        p.inputs_by_year.insert("3".into(), f64::NAN);
        let e = errors(&p);
        assert_eq!(
            e.for_field("inputs_by_year.x").map(|e| e.code.as_str()),
            Some("invalid")
        );
        assert!(e.for_field("inputs_by_year.201").is_some());
        assert_eq!(
            e.for_field("inputs_by_year.2").map(|e| e.code.as_str()),
            Some("out_of_range")
        );
        assert!(e.for_field("inputs_by_year.3").is_some());
        assert_eq!(e.0.len(), 4);
        assert!(e.to_string().contains("(and 3 more problems)"));
    }

    #[test]
    fn zero_inputs_and_no_outcomes_are_valid() {
        let p = Project::with_year0_inputs(0.0, vec![]);
        assert_eq!(validate(&p), Ok(()));
        assert_eq!(validate(&Project::default()), Ok(()));
    }

    #[test]
    fn limits_bound_the_work() {
        let p = Project {
            outcomes: vec![Outcome::new("A", 1.0, 1.0); MAX_OUTCOMES + 1],
            ..project()
        };
        assert_eq!(errors(&p).0[0].code, "too_many");
        let mut p = project();
        for i in 0..500 {
            p.inputs_by_year.insert(format!("bad{i}"), 1.0);
        }
        let e = errors(&p);
        assert_eq!(e.0.len(), MAX_REPORTED_ERRORS + 1);
        assert_eq!(e.0.last().map(|e| e.code.as_str()), Some("too_many_errors"));
        let mut p = project();
        p.inputs_by_year.insert("k".repeat(10_000), 1.0);
        assert!(errors(&p).0[0].field.chars().count() < 60);
    }

    #[test]
    fn rag_threshold_rules() {
        let mut p = project();
        p.rag_thresholds = Some(RagThresholds {
            amber_from: 30.0,
            red_above: 20.0,
        });
        assert_eq!(errors(&p).0[0].field, "rag_thresholds");
        p.rag_thresholds = Some(RagThresholds {
            amber_from: f64::NAN,
            red_above: 20.0,
        });
        assert_eq!(errors(&p).0[0].field, "rag_thresholds.amber_from");
    }

    #[test]
    fn serializes_as_a_plain_list() {
        let e = ValidationErrors(vec![FieldError::new("required", "flat_rate", "m")]);
        assert_eq!(
            serde_json::to_value(&e).expect("serialize"),
            serde_json::json!([{"code": "required", "message": "m", "field": "flat_rate"}])
        );
    }
}
