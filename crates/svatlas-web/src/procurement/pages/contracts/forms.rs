//! The forms of the contract pages: a delivery claim (reported or amended by the supplier) and
//! a review (the buyer's decision). Every field is a string, so a missing or mistyped value
//! reaches the checks here and gets a message beside its own field.

use serde::Deserialize;
use svatlas_domain::procurement::delivery::{ClaimDetails, Kpi, Review, check_review};
use svatlas_domain::sroi::ValidationErrors;

use crate::platform::format::plain;
use crate::platform::forms::parse_number;
use crate::platform::views::{FormErrors, sentence};

/// The claim form (report delivery, or amend a claim). Field ids carry a prefix: `c-` on the
/// contract page, `a-` on the claim page.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ClaimForm {
    /// The KPI delivered against (`K1`).
    pub kpi_id: String,
    /// First day of the period, `YYYY-MM-DD`.
    pub period_start: String,
    /// Last day of the period, `YYYY-MM-DD`.
    pub period_end: String,
    /// Quantity delivered in the period, in the KPI's unit.
    pub quantity: String,
    /// What was done.
    pub note: String,
    /// Links to evidence held elsewhere, one per line (https only).
    pub links: String,
    /// A pseudonymous reference of the person or activity, never a name.
    pub beneficiary_ref: String,
}

/// Adds the domain's problems under `prefix` + field (evidence links all under `links`),
/// skipping fields that already have a problem.
fn add_validation(errors: &mut FormErrors, prefix: &str, e: &ValidationErrors) {
    for fe in &e.0 {
        let (field, message) = match fe.field.strip_prefix("links[") {
            Some(rest) => {
                let line = rest
                    .trim_end_matches(']')
                    .parse::<usize>()
                    .map_or(0, |i| i + 1);
                (
                    "links".to_owned(),
                    format!("Line {line} of the evidence links: {}", fe.message),
                )
            }
            None => (fe.field.clone(), sentence(&fe.message)),
        };
        let id = format!("{prefix}{field}");
        if errors.get(&id).is_none() {
            errors.add(id, message);
        }
    }
}

impl ClaimForm {
    /// The form filled with a claim's details (to amend it).
    pub fn from_details(d: &ClaimDetails) -> Self {
        ClaimForm {
            kpi_id: d.kpi_id.clone(),
            period_start: d.period_start.clone(),
            period_end: d.period_end.clone(),
            quantity: plain(d.quantity),
            note: d.note.clone(),
            links: d.links.join("\n"),
            beneficiary_ref: d.beneficiary_ref.clone().unwrap_or_default(),
        }
    }

    /// The claim, checked against the contract's KPIs, or the problems under `prefix` ids.
    pub fn parse(&self, kpis: &[Kpi], prefix: &str) -> Result<ClaimDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let quantity = if self.quantity.trim().is_empty() {
            errors.add(
                format!("{prefix}quantity"),
                "Enter the quantity delivered in the period",
            );
            0.0
        } else {
            parse_number(&self.quantity).unwrap_or_else(|| {
                errors.add(
                    format!("{prefix}quantity"),
                    "Enter the quantity delivered as a number, like 2 or 12.5",
                );
                0.0
            })
        };
        if self.kpi_id.trim().is_empty() {
            errors.add(
                format!("{prefix}kpi_id"),
                "Choose the KPI delivered against",
            );
        }
        let details = ClaimDetails {
            kpi_id: self.kpi_id.trim().to_owned(),
            period_start: self.period_start.trim().to_owned(),
            period_end: self.period_end.trim().to_owned(),
            quantity,
            note: self.note.trim().to_owned(),
            links: self
                .links
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            beneficiary_ref: Some(self.beneficiary_ref.trim().to_owned()).filter(|r| !r.is_empty()),
        };
        if let Err(e) = details.validate(kpis) {
            add_validation(&mut errors, prefix, &e);
        }
        // In the order the fields appear on the form, so the summary reads top to bottom.
        let order = [
            "kpi_id",
            "period_start",
            "period_end",
            "quantity",
            "note",
            "links",
            "beneficiary_ref",
        ];
        errors.0.sort_by_key(|(f, _)| {
            order
                .iter()
                .position(|o| f.strip_prefix(prefix) == Some(o))
                .unwrap_or(order.len())
        });
        if errors.is_empty() {
            Ok(details)
        } else {
            Err(errors)
        }
    }
}

/// The claim form as a template shows it: the id prefix, what was typed and each field's
/// problem.
pub struct ClaimFields {
    /// `c-` (report) or `a-` (amend).
    pub p: &'static str,
    pub form: ClaimForm,
    pub kpi_id: Option<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub quantity: Option<String>,
    pub note: Option<String>,
    pub links: Option<String>,
    pub beneficiary_ref: Option<String>,
}

impl ClaimFields {
    /// The fields with prefix `p`, their values and problems.
    pub fn new(p: &'static str, form: ClaimForm, errors: &FormErrors) -> Self {
        let e = |f: &str| errors.get(&format!("{p}{f}")).map(str::to_owned);
        ClaimFields {
            p,
            kpi_id: e("kpi_id"),
            period_start: e("period_start"),
            period_end: e("period_end"),
            quantity: e("quantity"),
            note: e("note"),
            links: e("links"),
            beneficiary_ref: e("beneficiary_ref"),
            form,
        }
    }
}

/// The review form. Field ids are prefixed `r-`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReviewForm {
    /// `verify`, `query` or `reject`.
    pub decision: String,
    /// Why (required to query or reject).
    pub note: String,
}

impl ReviewForm {
    /// The decision and note, or the problems.
    pub fn parse(&self) -> Result<(Review, String), FormErrors> {
        let mut errors = FormErrors::default();
        let decision = match self.decision.trim() {
            "verify" => Some(Review::Verify),
            "query" => Some(Review::Query),
            "reject" => Some(Review::Reject),
            _ => {
                errors.add(
                    "r-decision",
                    "Choose whether to verify, query or reject the claim",
                );
                None
            }
        };
        let note = self.note.trim().to_owned();
        if let Some(d) = decision
            && let Err(e) = check_review(d, &note)
        {
            for fe in &e.0 {
                let id = format!("r-{}", fe.field);
                if errors.get(&id).is_none() {
                    errors.add(id, sentence(&fe.message));
                }
            }
        }
        match decision {
            Some(d) if errors.is_empty() => Ok((d, note)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svatlas_domain::procurement::bid::{Commitment, Milestone};
    use svatlas_domain::procurement::delivery::kpis_from_commitments;
    use svatlas_domain::procurement::model::Edition;

    fn kpis() -> Vec<Kpi> {
        kpis_from_commitments(
            Edition::Svm2020,
            &[Commitment {
                criterion: "MAC 2.2".into(),
                metric_id: Some("SVM20-2.2-c".into()),
                description: "Apprenticeships".into(),
                target: 6.0,
                unit: "apprenticeships".into(),
                start_date: None,
                end_date: None,
                area: None,
                milestones: vec![Milestone {
                    due: "2028-03-31".into(),
                    target: 2.0,
                    description: String::new(),
                }],
                partners: Vec::new(),
                estimated_value_gbp: None,
                value_kind: None,
                value_basis: None,
                valuation: None,
            }],
        )
    }

    fn good() -> ClaimForm {
        ClaimForm {
            kpi_id: "K1".into(),
            period_start: "2027-04-01".into(),
            period_end: "2027-06-30".into(),
            quantity: "1,000".into(),
            note: "Started".into(),
            links: "https://example.org/a\n\n https://example.org/b \n".into(),
            beneficiary_ref: " P-0042 ".into(),
        }
    }

    #[test]
    fn a_claim_form_becomes_claim_details() {
        let d = good().parse(&kpis(), "c-").expect("valid");
        assert_eq!(d.quantity, 1000.0);
        assert_eq!(d.links, ["https://example.org/a", "https://example.org/b"]);
        assert_eq!(d.beneficiary_ref.as_deref(), Some("P-0042"));
        assert_eq!(ClaimForm::from_details(&d).quantity, "1000");
    }

    #[test]
    fn problems_name_their_fields_in_form_order() {
        let bad = ClaimForm {
            kpi_id: "K9".into(),
            period_start: "2027-13-01".into(),
            quantity: "lots".into(),
            links: "http://insecure".into(),
            beneficiary_ref: "Jane Smith".into(),
            ..good()
        };
        let e = bad.parse(&kpis(), "c-").unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "c-kpi_id",
                "c-period_start",
                "c-quantity",
                "c-links",
                "c-beneficiary_ref"
            ]
        );
        assert!(e.get("c-quantity").unwrap().contains("as a number"));
        assert!(e.get("c-links").unwrap().starts_with("Line 1"));
        let zero = ClaimForm {
            quantity: "0".into(),
            ..good()
        };
        assert!(
            zero.parse(&kpis(), "a-")
                .unwrap_err()
                .get("a-quantity")
                .unwrap()
                .contains("more than 0")
        );
    }

    #[test]
    fn reviews_need_a_decision_and_a_note_to_query_or_reject() {
        let form = |d: &str, n: &str| ReviewForm {
            decision: d.into(),
            note: n.into(),
        };
        assert_eq!(
            form("verify", "").parse().unwrap(),
            (Review::Verify, String::new())
        );
        assert!(
            form("query", " ")
                .parse()
                .unwrap_err()
                .get("r-note")
                .is_some()
        );
        assert!(
            form("", "")
                .parse()
                .unwrap_err()
                .get("r-decision")
                .is_some()
        );
        assert_eq!(
            form("reject", "No register").parse().unwrap().0,
            Review::Reject
        );
    }
}
