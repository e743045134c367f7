//! The calculator's HTML forms: what they send (every field a string, so a missing or
//! malformed value reaches our validation and is shown beside its field) and how it becomes
//! domain entries. Shares are typed as percentages on forms and stored as fractions.

use serde::Deserialize;
use svatlas_domain::calculator::{
    OutcomeEntry, ProjectDetails, ProjectMode, ProxyLibrary, ProxyUse, ProxyValue,
};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::{Input, InputCategory, ValidationErrors};

use crate::platform::format::plain;
use crate::platform::forms::number;
use crate::platform::views::{FormErrors, sentence};

/// Project details form (create and edit). Field ids are prefixed `p-`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DetailsForm {
    pub name: String,
    pub description: String,
    pub mode: String,
    pub organisation_id: String,
    pub price_base_year: String,
    pub start_date: String,
    pub areas: String,
    pub deduct_input_leakage: String,
}

impl DetailsForm {
    /// The form filled from stored details.
    pub fn from_details(d: &ProjectDetails) -> Self {
        DetailsForm {
            name: d.name.clone(),
            description: d.description.clone(),
            mode: d.mode.id().to_string(),
            organisation_id: String::new(),
            price_base_year: d.price_base_year.to_string(),
            start_date: d.start_date.clone().unwrap_or_default(),
            areas: d.areas.join(" "),
            deduct_input_leakage: if d.deduct_input_leakage {
                "on".into()
            } else {
                String::new()
            },
        }
    }

    /// The details, or every problem keyed by field id.
    pub fn parse(&self) -> Result<ProjectDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let mode = ProjectMode::from_id(&self.mode).unwrap_or_else(|| {
            errors.add("p-mode", "Choose forecast or evaluative");
            ProjectMode::Forecast
        });
        let year = self
            .price_base_year
            .trim()
            .parse::<i32>()
            .unwrap_or_else(|_| {
                errors.add(
                    "p-price_base_year",
                    "Enter the price base year as a number, like 2026",
                );
                0
            });
        let details = ProjectDetails {
            name: self.name.trim().to_string(),
            description: self.description.trim().to_string(),
            mode,
            start_date: Some(self.start_date.trim().to_string()).filter(|d| !d.is_empty()),
            price_base_year: year,
            areas: self
                .areas
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|a| !a.is_empty())
                .map(|a| a.to_ascii_uppercase())
                .collect(),
            deduct_input_leakage: !self.deduct_input_leakage.is_empty(),
        };
        if let Err(e) = details.validate() {
            add_validation(&mut errors, "p-", &e, |f| {
                if f.starts_with("areas") {
                    "areas".to_string()
                } else {
                    f.to_string()
                }
            });
        }
        if errors.is_empty() {
            Ok(details)
        } else {
            Err(errors)
        }
    }
}

/// Outcome form. Field ids are prefixed `o-`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OutcomeForm {
    pub description: String,
    pub bristol_accord: String,
    pub stakeholder: String,
    /// A library proxy id, or `custom`.
    pub proxy_id: String,
    pub proxy_gbp: String,
    pub proxy_unit: String,
    pub proxy_source: String,
    pub proxy_price_year: String,
    pub quantity: String,
    pub duration_years: String,
    pub start_year: String,
    pub leakage: String,
    pub deadweight: String,
    pub displacement: String,
    pub attribution: String,
    pub dropoff: String,
    pub actual_quantity: String,
    pub evidence_note: String,
}

impl OutcomeForm {
    /// An empty form with the defaults filled in.
    pub fn blank() -> Self {
        OutcomeForm {
            duration_years: "1".into(),
            start_year: "1".into(),
            leakage: "0".into(),
            deadweight: "0".into(),
            displacement: "0".into(),
            attribution: "0".into(),
            dropoff: "0".into(),
            ..OutcomeForm::default()
        }
    }

    /// The form filled from a stored outcome.
    pub fn from_entry(o: &OutcomeEntry) -> Self {
        OutcomeForm {
            description: o.description.clone(),
            bristol_accord: o.bristol_accord.id().to_string(),
            stakeholder: o.stakeholder.clone().unwrap_or_default(),
            proxy_id: o.proxy.proxy_id.clone().unwrap_or_else(|| "custom".into()),
            proxy_gbp: if o.proxy.proxy_id.is_none() {
                plain(o.proxy.value_gbp)
            } else {
                String::new()
            },
            proxy_unit: if o.proxy.proxy_id.is_none() {
                o.proxy.unit.clone()
            } else {
                String::new()
            },
            proxy_source: if o.proxy.proxy_id.is_none() {
                o.proxy.source.clone()
            } else {
                String::new()
            },
            proxy_price_year: if o.proxy.proxy_id.is_none() {
                o.proxy.price_year.clone()
            } else {
                String::new()
            },
            quantity: plain(o.quantity),
            duration_years: o.duration_years.to_string(),
            start_year: o.start_year.to_string(),
            leakage: plain(o.leakage * 100.0),
            deadweight: plain(o.deadweight * 100.0),
            displacement: plain(o.displacement * 100.0),
            attribution: plain(o.attribution * 100.0),
            dropoff: plain(o.dropoff * 100.0),
            actual_quantity: o.actual_quantity.map(plain).unwrap_or_default(),
            evidence_note: o.evidence_note.clone().unwrap_or_default(),
        }
    }

    /// The outcome, or every problem keyed by field id. A custom value with an unchanged
    /// library choice keeps `previous`'s proxy when editing.
    pub fn parse(
        &self,
        library: &ProxyLibrary,
        price_base_year: i32,
    ) -> Result<OutcomeEntry, FormErrors> {
        let mut errors = FormErrors::default();
        let component = BristolAccord::from_label(&self.bristol_accord).unwrap_or_else(|| {
            errors.add(
                "o-bristol_accord",
                "Choose the Bristol Accord component the outcome contributes to",
            );
            BristolAccord::ActiveInclusiveAndSafe
        });
        let proxy_choice = self.proxy_id.trim();
        let proxy = if proxy_choice.is_empty() || proxy_choice == "custom" {
            let value = number(
                &mut errors,
                "o-proxy_gbp",
                &self.proxy_gbp,
                "the value in £ per unit (or choose a proxy from the library)",
            );
            if proxy_choice.is_empty() && self.proxy_gbp.trim().is_empty() {
                errors.0.retain(|(f, _)| f != "o-proxy_gbp");
                errors.add(
                    "o-proxy_id",
                    "Choose a proxy from the library, or choose “my own value” and enter it",
                );
            }
            ProxyValue {
                proxy_id: None,
                name: self.description.trim().to_string(),
                value_gbp: value,
                unit: non_empty(&self.proxy_unit).unwrap_or_else(|| "per unit".into()),
                source: non_empty(&self.proxy_source)
                    .unwrap_or_else(|| "Provided by the project".into()),
                price_year: non_empty(&self.proxy_price_year)
                    .unwrap_or_else(|| price_base_year.to_string()),
            }
        } else {
            match library.get(proxy_choice) {
                Some(p) if p.proxy_use != ProxyUse::InputRate => p.to_value(),
                Some(p) => {
                    errors.add(
                        "o-proxy_id",
                        format!("{} values inputs (time), not outcomes", p.id),
                    );
                    p.to_value()
                }
                None => {
                    errors.add("o-proxy_id", "Choose a proxy from the list");
                    ProxyValue {
                        proxy_id: None,
                        name: String::new(),
                        value_gbp: 0.0,
                        unit: String::new(),
                        source: String::new(),
                        price_year: String::new(),
                    }
                }
            }
        };
        let entry = OutcomeEntry {
            description: self.description.trim().to_string(),
            bristol_accord: component,
            stakeholder: non_empty(&self.stakeholder),
            proxy,
            quantity: number(
                &mut errors,
                "o-quantity",
                &self.quantity,
                "how many benefit each year",
            ),
            duration_years: whole(
                &mut errors,
                "o-duration_years",
                &self.duration_years,
                "for how many years the outcome lasts",
            ),
            start_year: whole(
                &mut errors,
                "o-start_year",
                &self.start_year,
                "the first year of benefit",
            ),
            leakage: share(&mut errors, "o-leakage", &self.leakage),
            deadweight: share(&mut errors, "o-deadweight", &self.deadweight),
            displacement: share(&mut errors, "o-displacement", &self.displacement),
            attribution: share(&mut errors, "o-attribution", &self.attribution),
            dropoff: share(&mut errors, "o-dropoff", &self.dropoff),
            actual_quantity: if self.actual_quantity.trim().is_empty() {
                None
            } else {
                Some(number(
                    &mut errors,
                    "o-actual_quantity",
                    &self.actual_quantity,
                    "the actual quantity",
                ))
            },
            evidence_note: non_empty(&self.evidence_note),
        };
        if errors.is_empty()
            && let Err(e) = entry.validate()
        {
            add_validation(&mut errors, "o-", &e, |f| f.to_string());
        }
        if errors.is_empty() {
            Ok(entry)
        } else {
            Err(errors)
        }
    }
}

/// Input form. Field ids are prefixed `i-`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InputForm {
    pub description: String,
    pub category: String,
    pub value: String,
    pub volume: String,
    pub year: String,
    pub leakage: String,
}

impl InputForm {
    /// An empty form with defaults.
    pub fn blank() -> Self {
        InputForm {
            category: "cash".into(),
            volume: "1".into(),
            year: "0".into(),
            leakage: "0".into(),
            ..InputForm::default()
        }
    }

    /// The form filled from a stored input.
    pub fn from_input(i: &Input) -> Self {
        InputForm {
            description: i.description.clone(),
            category: category_id(i.category).into(),
            value: plain(i.value),
            volume: plain(i.volume),
            year: i.year.to_string(),
            leakage: plain(i.leakage * 100.0),
        }
    }

    /// The input, or every problem keyed by field id.
    pub fn parse(&self) -> Result<Input, FormErrors> {
        let mut errors = FormErrors::default();
        let category = match self.category.as_str() {
            "cash" => InputCategory::Cash,
            "in_kind" => InputCategory::InKind,
            "volunteer_time" => InputCategory::VolunteerTime,
            "staff_time" => InputCategory::StaffTime,
            _ => {
                errors.add("i-category", "Choose what kind of input this is");
                InputCategory::Cash
            }
        };
        let year = whole(
            &mut errors,
            "i-year",
            &self.year,
            "the year it is spent (0 for the start)",
        );
        let input = Input {
            description: self.description.trim().to_string(),
            category,
            value: number(&mut errors, "i-value", &self.value, "the value in £"),
            volume: number(
                &mut errors,
                "i-volume",
                &self.volume,
                "the volume (1 for a lump sum)",
            ),
            year: u32::try_from(year).unwrap_or(u32::MAX),
            leakage: share(&mut errors, "i-leakage", &self.leakage),
        };
        if errors.is_empty()
            && let Err(e) = svatlas_domain::calculator::validate_input(&input)
        {
            add_validation(&mut errors, "i-", &e, |f| f.to_string());
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// The form id of an input category.
pub const fn category_id(c: InputCategory) -> &'static str {
    match c {
        InputCategory::Cash => "cash",
        InputCategory::InKind => "in_kind",
        InputCategory::VolunteerTime => "volunteer_time",
        InputCategory::StaffTime => "staff_time",
    }
}

fn add_validation(
    errors: &mut FormErrors,
    prefix: &str,
    e: &ValidationErrors,
    field: impl Fn(&str) -> String,
) {
    for fe in &e.0 {
        // Shares are typed as percentages: say so rather than "between 0 and 1".
        let message = if fe.message.contains("between 0 and 1") {
            format!(
                "{} must be a percentage from 0 to 100",
                sentence(&fe.field.replace('_', " "))
            )
        } else {
            sentence(&fe.message)
        };
        errors.add(format!("{prefix}{}", field(&fe.field)), message);
    }
}

fn non_empty(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

fn whole(errors: &mut FormErrors, field: &str, text: &str, what: &str) -> i64 {
    match text.trim().parse::<i64>() {
        Ok(v) => v,
        Err(_) => {
            errors.add(field, format!("Enter {what} as a whole number"));
            0
        }
    }
}

/// A percentage (0 to 100; a trailing % is allowed) as a fraction.
fn share(errors: &mut FormErrors, field: &str, text: &str) -> f64 {
    let t = text.trim().trim_end_matches('%').trim();
    if t.is_empty() {
        return 0.0;
    }
    match t.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => v / 100.0,
        _ => {
            let name = field.split('-').nth(1).unwrap_or(field).replace('_', " ");
            errors.add(
                field,
                format!("{} must be a percentage from 0 to 100", sentence(&name)),
            );
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_form_takes_percentages_and_library_proxies() {
        let mut f = OutcomeForm::blank();
        f.description = "Into work".into();
        f.bristol_accord = "thriving".into();
        f.proxy_id = "GB-QALY".into();
        f.quantity = "1,200".into();
        f.deadweight = "25%".into();
        let o = f.parse(ProxyLibrary::shipped(), 2026).expect("valid");
        assert_eq!(o.quantity, 1200.0);
        assert_eq!(o.deadweight, 0.25);
        assert_eq!(o.proxy.value_gbp, 70_000.0);
        assert_eq!(OutcomeForm::from_entry(&o).deadweight, "25");
    }

    #[test]
    fn outcome_form_errors_name_the_fields() {
        let mut f = OutcomeForm::blank();
        f.deadweight = "150".into();
        f.quantity = "lots".into();
        let errors = f.parse(ProxyLibrary::shipped(), 2026).expect_err("invalid");
        for id in [
            "o-bristol_accord",
            "o-proxy_id",
            "o-quantity",
            "o-deadweight",
        ] {
            assert!(errors.get(id).is_some(), "{id}: {errors:?}");
        }
        assert!(errors.get("o-deadweight").unwrap().contains("percentage"));
    }

    #[test]
    fn custom_value_and_input_forms() {
        let mut f = OutcomeForm::blank();
        f.description = "Volunteering".into();
        f.bristol_accord = "Active, inclusive and safe".into();
        f.proxy_id = "custom".into();
        f.proxy_gbp = "£1,250.50".into();
        f.quantity = "4".into();
        let o = f.parse(ProxyLibrary::shipped(), 2026).expect("valid");
        assert_eq!(o.proxy.value_gbp, 1250.5);
        assert_eq!(o.proxy.price_year, "2026");
        let mut i = InputForm::blank();
        i.description = "Volunteer hours".into();
        i.category = "volunteer_time".into();
        i.value = "12.21".into();
        i.volume = "400".into();
        i.leakage = "10".into();
        let input = i.parse().expect("valid");
        assert!((input.amount() - 4884.0).abs() < 1e-9);
        assert_eq!(input.leakage, 0.1);
        i.year = "-1".into();
        assert!(i.parse().expect_err("bad year").get("i-year").is_some());
    }

    #[test]
    fn details_form_parses_areas_and_checks_year() {
        let f = DetailsForm {
            name: "P".into(),
            mode: "evaluative".into(),
            price_base_year: "2026".into(),
            areas: "e06000026, E01015023".into(),
            ..DetailsForm::default()
        };
        let d = f.parse().expect("valid");
        assert_eq!(d.areas, vec!["E06000026", "E01015023"]);
        assert_eq!(d.mode, ProjectMode::Evaluative);
        let bad = DetailsForm {
            price_base_year: "soon".into(),
            ..f
        };
        assert!(
            bad.parse()
                .expect_err("bad")
                .get("p-price_base_year")
                .is_some()
        );
    }
}
