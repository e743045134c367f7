//! A supplier's bid: price, a method statement per question, and quantified social value
//! commitments against the tender's criteria and reporting metrics.
//!
//! A commitment may carry a monetised value; that figure is always an estimate of the bidder's
//! and is shown as one. Values of different kinds (wellbeing, fiscal, economic) are never added
//! into one number here: [`BidDetails::estimated_value_by_kind`] keeps them apart.

use serde::{Deserialize, Serialize};

use super::model::Catalogue;
use super::tender::{TEXT_MAX_CHARS, TenderDetails};
use super::valuation::Valuation;
use crate::calculator::entries::{
    check_date, check_optional, check_required, check_text, finish, is_area_code, is_iso_date,
};
use crate::sroi::{FieldError, ValidationErrors};

/// Most commitments in one bid.
pub const MAX_COMMITMENTS: usize = 200;
/// Most milestones per commitment.
pub const MAX_MILESTONES: usize = 60;
/// Most delivery partners named per commitment.
pub const MAX_PARTNERS: usize = 20;
/// Highest bid price or value accepted (£).
pub const MAX_GBP: f64 = 1e13;
/// Highest commitment target accepted.
pub const MAX_TARGET: f64 = 1e12;

/// A method statement: the bidder's answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The question's id in the tender.
    pub question_id: String,
    /// The answer.
    pub text: String,
}

/// A dated step towards a commitment's target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Due date, `YYYY-MM-DD`.
    pub due: String,
    /// Cumulative quantity delivered by then.
    pub target: f64,
    /// What it marks.
    #[serde(default)]
    pub description: String,
}

/// What kind of monetised value an estimate is (they are never added together unlabelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Wellbeing value to people (e.g. WELLBYs, HACT values).
    Wellbeing,
    /// Savings to the public purse.
    Fiscal,
    /// Economic value (e.g. wages, local spend).
    Economic,
}

impl ValueKind {
    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Wellbeing => "Wellbeing",
            Self::Fiscal => "Fiscal",
            Self::Economic => "Economic",
        }
    }
}

/// A quantified social value commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// The model award criterion it delivers (`MAC 2.2`), one of the tender's edition.
    pub criterion: String,
    /// The reporting metric counted (`SVM20-2.2-a`), where the edition lists one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_id: Option<String>,
    /// What will be done.
    pub description: String,
    /// How much, in `unit`, by the end date.
    pub target: f64,
    /// Unit (default: the metric's unit).
    #[serde(default)]
    pub unit: String,
    /// From, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// By, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Where it is delivered (an area code), if in one place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Dated steps, earliest first.
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// Voluntary and community organisations that deliver it.
    #[serde(default)]
    pub partners: Vec<String>,
    /// The bidder's estimate of its monetised value, £ (an estimate, shown as one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_value_gbp: Option<f64>,
    /// Which kind of value the estimate is; required with an estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_kind: Option<ValueKind>,
    /// How the estimate was made (e.g. the proxy used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_basis: Option<String>,
    /// Value it with the calculator's engine instead of typing an estimate: the engine's
    /// figure then becomes `estimated_value_gbp` and its workings `value_basis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valuation: Option<Valuation>,
}

/// A bid's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BidDetails {
    /// Bid price, £.
    pub price_gbp: f64,
    /// Method statements, one per question.
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// Social value commitments.
    #[serde(default)]
    pub commitments: Vec<Commitment>,
}

/// Where a bid is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BidStatus {
    /// Being written; only the supplier sees it.
    Draft,
    /// Sent to the buyer; it can no longer change.
    Submitted,
    /// Sent back by the supplier before the tender closed.
    Withdrawn,
}

impl BidStatus {
    /// Id as stored.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Parses the id.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Draft, Self::Submitted, Self::Withdrawn]
            .into_iter()
            .find(|s| s.id() == text)
    }

    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Submitted => "Submitted",
            Self::Withdrawn => "Withdrawn",
        }
    }
}

impl BidDetails {
    /// Fills defaults from the catalogue (a metric's unit) so stored bids read complete.
    pub fn normalised(mut self, tender: &TenderDetails) -> Self {
        let catalogue = Catalogue::shipped().edition(tender.edition);
        for c in &mut self.commitments {
            c.criterion = c.criterion.trim().to_owned();
            if let Some(crit) = catalogue.criterion(&c.criterion) {
                c.criterion = crit.id.clone();
            }
            if let Some(m) = &c.metric_id
                && let Some((_, _, metric)) = catalogue.metric(m)
            {
                c.metric_id = Some(metric.id.clone());
                if c.unit.trim().is_empty() {
                    c.unit = metric.unit.clone();
                }
            }
            c.unit = c.unit.trim().to_owned();
        }
        self
    }

    /// Checks a bid against its tender. Drafts may leave answers out; a bid to submit must
    /// answer every question (`complete`).
    pub fn validate(&self, tender: &TenderDetails, complete: bool) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        if !(self.price_gbp.is_finite() && self.price_gbp > 0.0 && self.price_gbp <= MAX_GBP) {
            errors.push(FieldError::new(
                "out_of_range",
                "price_gbp",
                "the bid price must be more than £0",
            ));
        }
        for (i, a) in self.answers.iter().enumerate() {
            if tender.question(&a.question_id).is_none() {
                errors.push(FieldError::new(
                    "unknown",
                    format!("answers[{i}].question_id"),
                    format!("the tender has no question {:?}", a.question_id),
                ));
            } else if self.answers[..i]
                .iter()
                .any(|p| p.question_id == a.question_id)
            {
                errors.push(FieldError::new(
                    "duplicate",
                    format!("answers[{i}].question_id"),
                    format!("question {} is answered twice", a.question_id),
                ));
            }
            check_text(
                &mut errors,
                &format!("answers[{i}].text"),
                &a.text,
                complete,
                TEXT_MAX_CHARS,
            );
        }
        if complete {
            for q in &tender.questions {
                if !self
                    .answers
                    .iter()
                    .any(|a| a.question_id == q.id && !a.text.trim().is_empty())
                {
                    errors.push(FieldError::new(
                        "required",
                        "answers",
                        format!("question {} has no answer yet", q.id),
                    ));
                }
            }
        }
        if self.commitments.len() > MAX_COMMITMENTS {
            errors.push(FieldError::new(
                "too_many",
                "commitments",
                format!("a bid can make at most {MAX_COMMITMENTS} commitments"),
            ));
        }
        for (i, c) in self.commitments.iter().enumerate() {
            validate_commitment(&mut errors, tender, c, &format!("commitments[{i}]."));
        }
        finish(errors)
    }

    /// The answer to a question.
    pub fn answer(&self, question_id: &str) -> Option<&str> {
        self.answers
            .iter()
            .find(|a| a.question_id == question_id)
            .map(|a| a.text.as_str())
    }

    /// Estimated monetised value by kind, kept apart (never one total).
    pub fn estimated_value_by_kind(&self) -> Vec<(ValueKind, f64)> {
        let mut out: std::collections::BTreeMap<ValueKind, f64> = Default::default();
        for c in &self.commitments {
            if let (Some(v), Some(k)) = (c.estimated_value_gbp, c.value_kind) {
                *out.entry(k).or_default() += v;
            }
        }
        out.into_iter().collect()
    }
}

fn validate_commitment(
    errors: &mut Vec<FieldError>,
    tender: &TenderDetails,
    c: &Commitment,
    at: &str,
) {
    let f = |name: &str| format!("{at}{name}");
    let catalogue = Catalogue::shipped().edition(tender.edition);
    match catalogue.criterion(&c.criterion) {
        None => errors.push(FieldError::new(
            "unknown",
            f("criterion"),
            format!(
                "{:?} is not a model award criterion of the {} edition",
                c.criterion,
                tender.edition.id()
            ),
        )),
        Some(crit) => {
            if !tender.criteria.is_empty()
                && !tender
                    .criteria
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(&crit.id))
            {
                errors.push(FieldError::new(
                    "invalid",
                    f("criterion"),
                    format!(
                        "{} is not one of the criteria this tender asks for ({})",
                        crit.id,
                        tender.criteria.join(", ")
                    ),
                ));
            }
            if let Some(m) = &c.metric_id
                && !crit.metrics.iter().any(|x| x.id.eq_ignore_ascii_case(m))
            {
                errors.push(FieldError::new(
                    "unknown",
                    f("metric_id"),
                    format!("{m:?} is not a reporting metric of {}", crit.id),
                ));
            }
        }
    }
    check_required(errors, &f("description"), &c.description, TEXT_MAX_CHARS);
    if !(c.target.is_finite() && c.target > 0.0 && c.target <= MAX_TARGET) {
        errors.push(FieldError::new(
            "out_of_range",
            f("target"),
            "a commitment's target must be more than 0",
        ));
    }
    let unit_known = !c.unit.trim().is_empty()
        || c.metric_id
            .as_deref()
            .and_then(|m| catalogue.metric(m))
            .is_some();
    if !unit_known {
        errors.push(FieldError::new(
            "required",
            f("unit"),
            "say what the target counts (e.g. FTE, hours, people)",
        ));
    }
    check_optional(errors, &f("unit"), &c.unit, 100);
    for (name, date) in [("start_date", &c.start_date), ("end_date", &c.end_date)] {
        check_date(errors, &f(name), date.as_deref());
    }
    if let (Some(s), Some(e)) = (&c.start_date, &c.end_date)
        && is_iso_date(s)
        && is_iso_date(e)
        && e < s
    {
        errors.push(FieldError::new(
            "out_of_range",
            f("end_date"),
            "a commitment cannot end before it starts",
        ));
    }
    if let Some(area) = &c.area
        && !is_area_code(area)
    {
        errors.push(FieldError::new(
            "invalid",
            f("area"),
            format!("{area:?} is not an area code (letters and digits, e.g. E06000026)"),
        ));
    }
    if c.milestones.len() > MAX_MILESTONES {
        errors.push(FieldError::new(
            "too_many",
            f("milestones"),
            format!("at most {MAX_MILESTONES} milestones"),
        ));
    }
    for (j, m) in c.milestones.iter().enumerate() {
        let mf = |name: &str| format!("{at}milestones[{j}].{name}");
        if !is_iso_date(&m.due) {
            errors.push(FieldError::new(
                "invalid",
                mf("due"),
                "a milestone's due date is written YYYY-MM-DD",
            ));
        } else if j > 0 && m.due < c.milestones[j - 1].due {
            errors.push(FieldError::new(
                "invalid",
                mf("due"),
                "list milestones earliest first",
            ));
        }
        if !(m.target.is_finite() && m.target >= 0.0 && m.target <= c.target.max(0.0)) {
            errors.push(FieldError::new(
                "out_of_range",
                mf("target"),
                "a milestone's target is a cumulative quantity between 0 and the commitment's target",
            ));
        }
        check_optional(errors, &mf("description"), &m.description, 1000);
    }
    if c.partners.len() > MAX_PARTNERS {
        errors.push(FieldError::new(
            "too_many",
            f("partners"),
            format!("at most {MAX_PARTNERS} partners"),
        ));
    }
    for (j, p) in c.partners.iter().enumerate() {
        check_required(errors, &format!("{at}partners[{j}]"), p, 300);
    }
    match (c.estimated_value_gbp, c.value_kind) {
        (Some(v), kind) => {
            if !(v.is_finite() && (0.0..=MAX_GBP).contains(&v)) {
                errors.push(FieldError::new(
                    "out_of_range",
                    f("estimated_value_gbp"),
                    "an estimated value is £0 or more",
                ));
            }
            if kind.is_none() {
                errors.push(FieldError::new(
                    "required",
                    f("value_kind"),
                    "say whether the estimate is wellbeing, fiscal or economic value: they are never added together",
                ));
            }
        }
        (None, Some(_)) => errors.push(FieldError::new(
            "required",
            f("estimated_value_gbp"),
            "a value kind was given without an estimated value",
        )),
        (None, None) => {}
    }
    if let Some(b) = &c.value_basis {
        check_optional(errors, &f("value_basis"), b, 2000);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::procurement::tender::tests::example5;

    pub(crate) fn jobs() -> Commitment {
        Commitment {
            criterion: "MAC 2.2".into(),
            metric_id: Some("SVM20-2.2-c".into()),
            description: "Apprenticeships for Plymouth residents".into(),
            target: 6.0,
            unit: String::new(),
            start_date: Some("2027-04-01".into()),
            end_date: Some("2030-03-31".into()),
            area: Some("E06000026".into()),
            milestones: vec![
                Milestone {
                    due: "2028-03-31".into(),
                    target: 2.0,
                    description: "Year 1".into(),
                },
                Milestone {
                    due: "2029-03-31".into(),
                    target: 4.0,
                    description: "Year 2".into(),
                },
            ],
            partners: vec!["Plymouth Skills Hub".into()],
            estimated_value_gbp: Some(12_000.0),
            value_kind: Some(ValueKind::Economic),
            value_basis: None,
            valuation: None,
        }
    }

    pub(crate) fn complete_bid() -> BidDetails {
        bid()
    }

    fn bid() -> BidDetails {
        BidDetails {
            price_gbp: 900_000.0,
            answers: ["Q1", "SV1", "SV2"]
                .iter()
                .map(|q| Answer {
                    question_id: (*q).into(),
                    text: format!("Our answer to {q}"),
                })
                .collect(),
            commitments: vec![jobs()],
        }
    }

    #[test]
    fn a_complete_bid_is_valid_and_takes_the_metric_unit() {
        let t = example5();
        let b = bid().normalised(&t);
        b.validate(&t, true).expect("valid");
        assert_eq!(b.commitments[0].unit, "apprenticeships");
    }

    #[test]
    fn a_bid_to_submit_answers_every_question() {
        let t = example5();
        let mut b = bid();
        b.answers.pop();
        b.validate(&t, false)
            .expect("a draft may leave answers out");
        let errors = b.validate(&t, true).unwrap_err();
        assert!(errors.0.iter().any(|e| e.message.contains("SV2")));
    }

    #[test]
    fn commitments_outside_the_tender_and_bad_milestones_are_named() {
        let t = example5();
        let mut b = bid();
        b.commitments[0].criterion = "MAC 4.1".into();
        b.commitments.push(Commitment {
            metric_id: Some("SVM20-8.1-z".into()),
            target: -1.0,
            value_kind: None,
            ..jobs()
        });
        b.commitments[1].milestones[1].due = "2027-01-01".into();
        b.commitments[1].milestones[0].target = 99.0;
        let errors = b.validate(&t, false).unwrap_err();
        for field in [
            "commitments[0].criterion",
            "commitments[1].metric_id",
            "commitments[1].target",
            "commitments[1].value_kind",
            "commitments[1].milestones[1].due",
            "commitments[1].milestones[0].target",
        ] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn estimated_values_stay_apart_by_kind() {
        let mut b = bid();
        b.commitments.push(Commitment {
            estimated_value_gbp: Some(5_000.0),
            value_kind: Some(ValueKind::Wellbeing),
            ..jobs()
        });
        b.commitments.push(Commitment {
            estimated_value_gbp: Some(1_000.0),
            ..jobs()
        });
        assert_eq!(
            b.estimated_value_by_kind(),
            vec![
                (ValueKind::Wellbeing, 5_000.0),
                (ValueKind::Economic, 13_000.0)
            ]
        );
    }
}
