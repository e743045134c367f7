//! What people enter: project details, outcomes with their proxy, inputs; and their validation.

use serde::{Deserialize, Serialize};

use crate::frameworks::BristolAccord;
use crate::sroi::{
    self, FieldError, Input, MAX_ABS_AMOUNT, MAX_INPUT_GBP, MAX_YEAR, Outcome, Project,
    ValidationErrors,
};

/// Longest name or description of a project, outcome or input, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 2000;
/// Longest evidence note or stakeholder name, in characters.
pub const NOTE_MAX_CHARS: usize = 4000;
/// Earliest and latest price base year accepted.
const PRICE_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Whether a project forecasts value or evaluates value already created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProjectMode {
    /// Planned activity: quantities are expectations.
    #[default]
    Forecast,
    /// Past activity: actual quantities with evidence sit beside the forecast.
    Evaluative,
}

impl ProjectMode {
    /// Label for people ("Forecast", "Evaluative").
    pub const fn label(self) -> &'static str {
        match self {
            Self::Forecast => "Forecast",
            Self::Evaluative => "Evaluative",
        }
    }

    /// The JSON id (`forecast`, `evaluative`).
    pub const fn id(self) -> &'static str {
        match self {
            Self::Forecast => "forecast",
            Self::Evaluative => "evaluative",
        }
    }

    /// Parses the JSON id.
    pub fn from_id(text: &str) -> Option<Self> {
        match text.trim() {
            "forecast" => Some(Self::Forecast),
            "evaluative" => Some(Self::Evaluative),
            _ => None,
        }
    }
}

/// A project's own settings (its outcomes and inputs are kept separately).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectDetails {
    /// Name shown everywhere.
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    /// What the project does, for the report.
    #[serde(default)]
    pub description: String,
    /// Forecast or evaluative.
    #[serde(default)]
    pub mode: ProjectMode,
    /// When the activity starts (ISO date), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Price base year every figure is stated in (proxies are not uplifted; a report notes
    /// proxies priced in another year).
    #[cfg_attr(feature = "openapi", schema(minimum = 1990, maximum = 2100))]
    pub price_base_year: i32,
    /// Area codes the project serves (LSOA, district...), linking to the local-need pages.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::area_codes))]
    pub areas: Vec<String>,
    /// Deduct each input's leakage from the denominator (off by default, METHOD.md §2 rule 4).
    #[serde(default)]
    pub deduct_input_leakage: bool,
}

impl ProjectDetails {
    /// New details with defaults: forecast, no areas, leakage on inputs not deducted.
    pub fn new(name: impl Into<String>, mode: ProjectMode, price_base_year: i32) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            mode,
            start_date: None,
            price_base_year,
            areas: Vec::new(),
            deduct_input_leakage: false,
        }
    }

    /// Every problem with the details, naming the field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        check_required(&mut errors, "name", &self.name, DESCRIPTION_MAX_CHARS);
        check_optional(
            &mut errors,
            "description",
            &self.description,
            DESCRIPTION_MAX_CHARS,
        );
        if !PRICE_YEARS.contains(&self.price_base_year) {
            errors.push(FieldError::new(
                "out_of_range",
                "price_base_year",
                format!(
                    "price base year must be between {} and {}",
                    PRICE_YEARS.start(),
                    PRICE_YEARS.end()
                ),
            ));
        }
        check_date(&mut errors, "start_date", self.start_date.as_deref());
        if self.areas.len() > 500 {
            errors.push(FieldError::new(
                "too_many",
                "areas",
                "a project can list at most 500 areas",
            ));
        }
        for (i, code) in self.areas.iter().enumerate() {
            if !is_area_code(code) {
                errors.push(FieldError::new(
                    "invalid",
                    format!("areas[{i}]"),
                    "area codes are letters and digits such as E01015023 or E06000026",
                ));
            }
        }
        finish(errors)
    }
}

/// The financial proxy an outcome is valued with, copied onto the outcome when chosen so a
/// report never changes because the library changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProxyValue {
    /// Library id when taken from the library; none for a custom value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_id: Option<String>,
    /// What the value measures.
    pub name: String,
    /// £ per unit per year (negative for a disbenefit).
    pub value_gbp: f64,
    /// Unit ("per person", "per tCO2e").
    pub unit: String,
    /// Where the value comes from.
    pub source: String,
    /// Price year of the value as published ("2019", "2025-26").
    pub price_year: String,
}

/// One outcome as entered: the engine's fields plus its classification, proxy and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeEntry {
    /// The change experienced ("Long-term unemployed people into work").
    pub description: String,
    /// Bristol Accord component the outcome contributes to.
    pub bristol_accord: BristolAccord,
    /// Who experiences it; with the component, used to warn about double counting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stakeholder: Option<String>,
    /// How one unit is valued.
    pub proxy: ProxyValue,
    /// Units benefiting each year (forecast).
    pub quantity: f64,
    /// Years counted (default 1).
    pub duration_years: i64,
    /// First year of benefit (default 1).
    pub start_year: i64,
    /// Share of the benefit going outside the target area or group.
    pub leakage: f64,
    /// Share that would have happened anyway.
    pub deadweight: f64,
    /// Share moved from elsewhere.
    pub displacement: f64,
    /// Share caused by others.
    pub attribution: f64,
    /// Yearly decline after the first year.
    pub dropoff: f64,
    /// Evaluative mode: units that actually benefited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_quantity: Option<f64>,
    /// Evaluative mode: where the actual figure comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_note: Option<String>,
}

impl OutcomeEntry {
    /// An outcome lasting one year from year 1 with no deflators.
    pub fn new(
        description: impl Into<String>,
        bristol_accord: BristolAccord,
        proxy: ProxyValue,
        quantity: f64,
    ) -> Self {
        Self {
            description: description.into(),
            bristol_accord,
            stakeholder: None,
            proxy,
            quantity,
            duration_years: 1,
            start_year: 1,
            leakage: 0.0,
            deadweight: 0.0,
            displacement: 0.0,
            attribution: 0.0,
            dropoff: 0.0,
            actual_quantity: None,
            evidence_note: None,
        }
    }

    /// The engine's outcome for this entry with the given quantity (forecast or actual).
    ///
    /// The double-counting key is the stakeholder and the Bristol Accord component: two
    /// outcomes for the same people in the same component probably value one change twice.
    pub fn to_engine(&self, quantity: f64) -> Outcome {
        Outcome {
            name: self.description.clone(),
            quantity,
            proxy_gbp: self.proxy.value_gbp,
            duration_years: self.duration_years,
            start_year: self.start_year,
            leakage: self.leakage,
            deadweight: self.deadweight,
            displacement: self.displacement,
            attribution: self.attribution,
            dropoff: self.dropoff,
            stakeholder: self
                .stakeholder
                .as_ref()
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty()),
            proxy_category: Some(self.bristol_accord.id().to_string()),
        }
    }

    /// Every problem with this outcome, with field names as in the API (`quantity`,
    /// `proxy_gbp`, `deadweight`...).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        check_required(
            &mut errors,
            "description",
            &self.description,
            DESCRIPTION_MAX_CHARS,
        );
        if let Some(s) = &self.stakeholder {
            check_optional(&mut errors, "stakeholder", s, NOTE_MAX_CHARS);
        }
        if let Some(s) = &self.evidence_note {
            check_optional(&mut errors, "evidence_note", s, NOTE_MAX_CHARS);
        }
        check_optional(&mut errors, "proxy_unit", &self.proxy.unit, 200);
        check_optional(
            &mut errors,
            "proxy_source",
            &self.proxy.source,
            NOTE_MAX_CHARS,
        );
        check_optional(&mut errors, "proxy_price_year", &self.proxy.price_year, 20);
        if let Some(actual) = self.actual_quantity
            && !(actual.is_finite() && (0.0..=MAX_ABS_AMOUNT).contains(&actual))
        {
            errors.push(FieldError::new(
                "out_of_range",
                "actual_quantity",
                "actual quantity must be a number from 0 to 1 trillion",
            ));
        }
        // The engine's own checks, with its `outcomes[0].` paths reduced to our field names.
        let project = Project::with_year0_inputs(1.0, vec![self.to_engine(self.quantity)]);
        if let Err(engine) = sroi::validate(&project) {
            for mut e in engine.0 {
                e.field = e.field.trim_start_matches("outcomes[0].").to_string();
                errors.push(e);
            }
        }
        finish(errors)
    }
}

/// Every problem with one input, named by its field (`description`, `value`, `volume`,
/// `year`, `leakage`).
pub fn validate_input(input: &Input) -> Result<(), ValidationErrors> {
    let mut errors = Vec::new();
    check_required(
        &mut errors,
        "description",
        &input.description,
        DESCRIPTION_MAX_CHARS,
    );
    if !(input.value.is_finite() && (0.0..=MAX_INPUT_GBP).contains(&input.value)) {
        errors.push(FieldError::new(
            "out_of_range",
            "value",
            "value must be a number of pounds from 0 to 1,000 trillion",
        ));
    }
    if !(input.volume.is_finite() && (0.0..=MAX_ABS_AMOUNT).contains(&input.volume)) {
        errors.push(FieldError::new(
            "out_of_range",
            "volume",
            "volume must be a number from 0 to 1 trillion (1 for a lump sum)",
        ));
    }
    if input.amount() > MAX_INPUT_GBP {
        errors.push(FieldError::new(
            "out_of_range",
            "volume",
            "value × volume must not exceed £1,000 trillion",
        ));
    }
    if i64::from(input.year) > MAX_YEAR {
        errors.push(FieldError::new(
            "out_of_range",
            "year",
            format!("year must be between 0 and {MAX_YEAR}"),
        ));
    }
    if !(input.leakage.is_finite() && (0.0..=1.0).contains(&input.leakage)) {
        errors.push(FieldError::new(
            "out_of_range",
            "leakage",
            "leakage must be a share between 0 and 1 (0.25 = 25%)",
        ));
    }
    finish(errors)
}

/// A reviewer's note: required when `needed` (`why` says what it must give), never longer
/// than `max`.
pub(crate) fn check_note(
    needed: bool,
    note: &str,
    max: usize,
    why: &str,
) -> Result<(), ValidationErrors> {
    let mut errors = Vec::new();
    if needed && note.trim().is_empty() {
        errors.push(FieldError::new("required", "note", why));
    }
    check_optional(&mut errors, "note", note, max);
    finish(errors)
}

/// A text that must not be blank: at most `max` characters, no control characters.
pub(crate) fn check_required(errors: &mut Vec<FieldError>, field: &str, text: &str, max: usize) {
    check_text(errors, field, text, true, max);
}

/// A text that may be empty: at most `max` characters, no control characters.
pub(crate) fn check_optional(errors: &mut Vec<FieldError>, field: &str, text: &str, max: usize) {
    check_text(errors, field, text, false, max);
}

pub(crate) fn check_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    text: &str,
    required: bool,
    max: usize,
) {
    let words = || field.replace('_', " ");
    let problem = if required && text.trim().is_empty() {
        Some(("required", format!("{} is required", words())))
    } else if text.chars().count() > max {
        Some((
            "too_long",
            format!("{} must be at most {max} characters", words()),
        ))
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Some((
            "invalid",
            format!("{} must not contain control characters", words()),
        ))
    } else {
        None
    };
    if let Some((code, message)) = problem {
        errors.push(FieldError::new(code, field, message));
    }
}

/// The errors found, as a result: `Ok` when there are none.
pub(crate) fn finish(errors: Vec<FieldError>) -> Result<(), ValidationErrors> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

/// A date, when given, must be a real day written `YYYY-MM-DD`; the message names the field
/// by the last part of its path (`commitments[0].end_date` reads "end date").
pub(crate) fn check_date(errors: &mut Vec<FieldError>, field: &str, date: Option<&str>) {
    if let Some(date) = date
        && !is_iso_date(date)
    {
        let name = field.rsplit('.').next().unwrap_or(field);
        errors.push(FieldError::new(
            "invalid",
            field,
            format!(
                "{} must be a real date written as YYYY-MM-DD",
                name.replace('_', " ")
            ),
        ));
    }
}

/// Letters and digits, 1 to 12 of them: the shape of every area code (LSOA, local authority).
pub(crate) fn is_area_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 12 && code.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Every code of an `areas` list has the shape of an area code (errors at `areas[i]`).
pub(crate) fn check_area_codes(errors: &mut Vec<FieldError>, areas: &[String]) {
    for (i, code) in areas.iter().enumerate() {
        if !is_area_code(code) {
            errors.push(FieldError::new(
                "invalid",
                format!("areas[{i}]"),
                format!("{code:?} is not an area code (letters and digits, e.g. E06000026)"),
            ));
        }
    }
}

/// `YYYY-MM-DD` naming a day that exists (Gregorian calendar).
pub(crate) fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sroi::InputCategory;

    fn proxy(value: f64) -> ProxyValue {
        ProxyValue {
            proxy_id: None,
            name: "Custom".into(),
            value_gbp: value,
            unit: "per person".into(),
            source: "Own survey".into(),
            price_year: "2025".into(),
        }
    }

    #[test]
    fn outcome_errors_use_api_field_names() {
        let mut o = OutcomeEntry::new("", BristolAccord::Thriving, proxy(100.0), -1.0);
        o.deadweight = 1.5;
        o.actual_quantity = Some(f64::NAN);
        let errors = o.validate().expect_err("three problems");
        for field in ["description", "quantity", "deadweight", "actual_quantity"] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
        assert!(errors.0.iter().all(|e| !e.field.starts_with("outcomes[")));
    }

    #[test]
    fn outcome_maps_to_engine_with_component_as_double_counting_key() {
        let mut o = OutcomeEntry::new("Into work", BristolAccord::Thriving, proxy(6500.0), 20.0);
        o.stakeholder = Some(" Participants ".into());
        let e = o.to_engine(12.0);
        assert_eq!(e.quantity, 12.0);
        assert_eq!(e.proxy_gbp, 6500.0);
        assert_eq!(e.stakeholder.as_deref(), Some("participants"));
        assert_eq!(e.proxy_category.as_deref(), Some("thriving"));
        assert!(o.validate().is_ok());
    }

    #[test]
    fn input_checks_each_field() {
        let bad = Input {
            description: " ".into(),
            category: InputCategory::Cash,
            value: -5.0,
            volume: f64::INFINITY,
            year: 999,
            leakage: 2.0,
        };
        let errors = validate_input(&bad).expect_err("invalid");
        for field in ["description", "value", "volume", "year", "leakage"] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn details_validate_dates_years_and_areas() {
        let mut d = ProjectDetails::new("Youth project", ProjectMode::Forecast, 2025);
        assert!(d.validate().is_ok());
        d.start_date = Some("2025-02-30".into());
        d.price_base_year = 1800;
        d.areas = vec!["E01015023".into(), "<script>".into()];
        let errors = d.validate().expect_err("invalid");
        assert!(errors.for_field("start_date").is_some());
        assert!(errors.for_field("price_base_year").is_some());
        assert!(errors.for_field("areas[1]").is_some());
        assert!(errors.for_field("areas[0]").is_none());
        d.start_date = Some("2024-02-29".into());
        assert!(is_iso_date("2024-02-29") && !is_iso_date("2023-02-29"));
    }

    #[test]
    fn mode_ids_round_trip() {
        for m in [ProjectMode::Forecast, ProjectMode::Evaluative] {
            assert_eq!(ProjectMode::from_id(m.id()), Some(m));
            let json = serde_json::to_string(&m).expect("serialize");
            assert_eq!(json, format!("\"{}\"", m.id()));
        }
        assert_eq!(ProjectMode::from_id("weekly"), None);
    }
}
