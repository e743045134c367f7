//! A tender as the buyer sets it up: what is bought, for which places, against which Social
//! Value Model criteria, the evaluation questions with their weights, the scoring method and
//! the scoring scale (SOCIAL_VALUE_MODEL.md §4).
//!
//! Weights are percentages of the total score. With `weighted_score` the price weighting and
//! every question's weighting add up to 100; with `price_per_quality_point` the questions alone
//! add up to 100 (price is divided by the quality points, not weighted). Either way the social
//! value questions together (`W_sv`) must be at least 10% — of the total score, or under PPN 002
//! with price per quality point, of the quality score — and above 30% a warning is given.

use serde::{Deserialize, Serialize};

use super::model::{Catalogue, Edition};
use super::scoring::{HIGH_SOCIAL_VALUE_WEIGHT, MIN_SOCIAL_VALUE_WEIGHT, Method};
use crate::calculator::entries::{
    check_area_codes, check_date, check_optional, check_required, finish, is_iso_date,
};
use crate::sroi::{FieldError, ValidationErrors};

/// Longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 300;
/// Longest free text (description, question text, descriptor), in characters.
pub const TEXT_MAX_CHARS: usize = 10_000;
/// Most evaluation questions in one tender.
pub const MAX_QUESTIONS: usize = 50;
/// Most areas a tender can serve.
pub const MAX_AREAS: usize = 500;
/// Highest contract value accepted (£).
pub const MAX_CONTRACT_VALUE: f64 = 1e13;
/// Weights are compared to 100 within this (percentage points).
const WEIGHT_TOLERANCE: f64 = 1e-6;

/// Whether a question is scored as quality or as social value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Technical or quality question.
    Quality,
    /// Social value question (counts towards `W_sv`).
    SocialValue,
}

impl QuestionKind {
    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Quality => "Quality",
            Self::SocialValue => "Social value",
        }
    }

    /// Parses `quality` or `social_value`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "quality" => Some(Self::Quality),
            "social_value" => Some(Self::SocialValue),
            _ => None,
        }
    }
}

/// One evaluation question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Short id, unique in the tender, e.g. `Q1`, `SV1` (letters, digits, `.`, `-`, `_`).
    pub id: String,
    /// `quality` or `social_value`.
    pub kind: QuestionKind,
    /// The question as bidders read it.
    pub text: String,
    /// Weighting in percent of the total score, more than 0.
    pub weight: f64,
    /// The Social Value Model criterion it asks about (`MAC 2.2`); social value questions only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
}

/// One level of the scoring scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScaleLevel {
    /// Score 0–100.
    pub score: f64,
    /// What an answer must show to get it.
    pub descriptor: String,
}

/// The common five-point scale of SOCIAL_VALUE_MODEL.md §4.2 (descriptor wording is ours).
pub fn default_scale() -> Vec<ScaleLevel> {
    [
        (0.0, "No answer, or the answer does not address the criteria"),
        (
            20.0,
            "Poor: addresses the criteria only partly; significant weaknesses",
        ),
        (
            50.0,
            "Satisfactory: meets the criteria in the main but with gaps or limited detail or evidence",
        ),
        (80.0, "Good: meets the criteria with minor gaps"),
        (
            100.0,
            "Excellent: fully meets the criteria with specific, measurable, time-bound commitments, \
             a credible delivery plan and robust monitoring and reporting; added value beyond the ask",
        ),
    ]
    .into_iter()
    .map(|(score, descriptor)| ScaleLevel {
        score,
        descriptor: descriptor.to_owned(),
    })
    .collect()
}

/// A tender's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TenderDetails {
    /// What is being bought (not blank).
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub title: String,
    /// More about it.
    #[serde(default)]
    pub description: String,
    /// Estimated contract value, £: more than 0, at most £10 trillion.
    #[cfg_attr(feature = "openapi", schema(exclusive_minimum = 0, maximum = 1e13))]
    pub contract_value_gbp: f64,
    /// Bids are due by this date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_date: Option<String>,
    /// Contract start, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Contract end, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Area codes the contract serves (local authorities, LSOAs).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::area_codes))]
    pub areas: Vec<String>,
    /// Social Value Model edition: `"2020"` or `"2025"`.
    pub edition: Edition,
    /// The model award criteria chosen, ids as in the model (`MAC 2.2`, `MAC 1a`).
    #[serde(default)]
    pub criteria: Vec<String>,
    /// `weighted_score` or `price_per_quality_point`.
    pub method: Method,
    /// Price weighting, percent (0 with `price_per_quality_point`); with the questions'
    /// weightings it adds up to 100.
    #[serde(default)]
    pub price_weight: f64,
    /// Evaluation questions.
    pub questions: Vec<Question>,
    /// Scoring scale, lowest first (default 0/20/50/80/100).
    #[serde(default = "default_scale")]
    pub scale: Vec<ScaleLevel>,
}

/// Something about a valid tender worth a second look.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenderWarning {
    /// `social_value_weight_high`.
    pub code: String,
    /// Plain English.
    pub message: String,
    /// The field concerned.
    pub field: String,
}

impl TenderDetails {
    /// Sum of the quality questions' weights (`W_quality`), percent.
    pub fn quality_weight(&self) -> f64 {
        self.weight_of(QuestionKind::Quality)
    }

    /// Sum of the social value questions' weights (`W_sv`), percent.
    pub fn social_value_weight(&self) -> f64 {
        self.weight_of(QuestionKind::SocialValue)
    }

    fn weight_of(&self, kind: QuestionKind) -> f64 {
        self.questions
            .iter()
            .filter(|q| q.kind == kind)
            .map(|q| q.weight)
            .sum::<f64>()
            + 0.0
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Whether `score` is one of the scale's levels.
    pub fn on_scale(&self, score: f64) -> bool {
        self.scale.iter().any(|l| (l.score - score).abs() < 1e-9)
    }

    /// The scale's scores, written for a message: `0, 20, 50, 80 or 100`.
    pub fn scale_words(&self) -> String {
        let scores: Vec<String> = self.scale.iter().map(|l| num(l.score)).collect();
        match scores.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// Checks every rule, reporting all problems at once with their field paths.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        check_required(&mut errors, "title", &self.title, TITLE_MAX_CHARS);
        check_optional(
            &mut errors,
            "description",
            &self.description,
            TEXT_MAX_CHARS,
        );
        if !(self.contract_value_gbp.is_finite()
            && self.contract_value_gbp > 0.0
            && self.contract_value_gbp <= MAX_CONTRACT_VALUE)
        {
            errors.push(FieldError::new(
                "out_of_range",
                "contract_value_gbp",
                "contract value must be more than £0 and at most £10 trillion",
            ));
        }
        for (field, date) in [
            ("closing_date", &self.closing_date),
            ("start_date", &self.start_date),
            ("end_date", &self.end_date),
        ] {
            check_date(&mut errors, field, date.as_deref());
        }
        if let (Some(start), Some(end)) = (&self.start_date, &self.end_date)
            && is_iso_date(start)
            && is_iso_date(end)
            && end < start
        {
            errors.push(FieldError::new(
                "out_of_range",
                "end_date",
                "the contract cannot end before it starts",
            ));
        }
        check_areas(&mut errors, &self.areas);
        let catalogue = Catalogue::shipped().edition(self.edition);
        for (i, id) in self.criteria.iter().enumerate() {
            if catalogue.criterion(id).is_none() {
                errors.push(FieldError::new(
                    "unknown",
                    format!("criteria[{i}]"),
                    format!(
                        "{id:?} is not a model award criterion of the {} edition",
                        self.edition.id()
                    ),
                ));
            }
        }
        self.validate_questions(&mut errors);
        self.validate_scale(&mut errors);
        self.validate_weights(&mut errors);
        finish(errors)
    }

    fn validate_questions(&self, errors: &mut Vec<FieldError>) {
        if self.questions.is_empty() {
            errors.push(FieldError::new(
                "required",
                "questions",
                "a tender needs at least one evaluation question, and a social value question among them",
            ));
        }
        if self.questions.len() > MAX_QUESTIONS {
            errors.push(FieldError::new(
                "too_many",
                "questions",
                format!("a tender can have at most {MAX_QUESTIONS} questions"),
            ));
        }
        let catalogue = Catalogue::shipped().edition(self.edition);
        for (i, q) in self.questions.iter().enumerate() {
            let at = |f: &str| format!("questions[{i}].{f}");
            if q.id.is_empty()
                || q.id.len() > 20
                || !q
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            {
                errors.push(FieldError::new(
                    "invalid",
                    at("id"),
                    "a question id is 1 to 20 letters, digits, dots, dashes or underscores, e.g. Q1 or SV1",
                ));
            } else if self.questions[..i].iter().any(|p| p.id == q.id) {
                errors.push(FieldError::new(
                    "duplicate",
                    at("id"),
                    format!("two questions have the id {}", q.id),
                ));
            }
            check_required(errors, &at("text"), &q.text, TEXT_MAX_CHARS);
            if !(q.weight.is_finite() && q.weight > 0.0 && q.weight <= 100.0) {
                errors.push(FieldError::new(
                    "out_of_range",
                    at("weight"),
                    "a question's weighting must be more than 0 and at most 100 (percent of the total score)",
                ));
            }
            if let Some(c) = &q.criterion {
                if q.kind != QuestionKind::SocialValue {
                    errors.push(FieldError::new(
                        "invalid",
                        at("criterion"),
                        "only social value questions name a model award criterion",
                    ));
                } else if catalogue.criterion(c).is_none() {
                    errors.push(FieldError::new(
                        "unknown",
                        at("criterion"),
                        format!(
                            "{c:?} is not a model award criterion of the {} edition",
                            self.edition.id()
                        ),
                    ));
                } else if !self.criteria.is_empty()
                    && !self.criteria.iter().any(|x| x.eq_ignore_ascii_case(c))
                {
                    errors.push(FieldError::new(
                        "invalid",
                        at("criterion"),
                        format!("{c} is not one of the criteria chosen for this tender"),
                    ));
                }
            }
        }
    }

    fn validate_scale(&self, errors: &mut Vec<FieldError>) {
        if !(2..=101).contains(&self.scale.len()) {
            errors.push(FieldError::new(
                "out_of_range",
                "scale",
                "a scoring scale has 2 to 101 levels",
            ));
        }
        for (i, level) in self.scale.iter().enumerate() {
            if !(level.score.is_finite() && (0.0..=100.0).contains(&level.score)) {
                errors.push(FieldError::new(
                    "out_of_range",
                    format!("scale[{i}].score"),
                    "scale scores are between 0 and 100",
                ));
            } else if i > 0 && level.score <= self.scale[i - 1].score {
                errors.push(FieldError::new(
                    "invalid",
                    format!("scale[{i}].score"),
                    "scale scores must rise from the lowest level to the highest",
                ));
            }
            check_required(
                errors,
                &format!("scale[{i}].descriptor"),
                &level.descriptor,
                TEXT_MAX_CHARS,
            );
        }
    }

    fn validate_weights(&self, errors: &mut Vec<FieldError>) {
        if self.questions.iter().any(|q| !q.weight.is_finite()) || !self.price_weight.is_finite() {
            return;
        }
        let questions = self.quality_weight() + self.social_value_weight();
        let sv = self.social_value_weight();
        match self.method {
            Method::WeightedScore => {
                if !(0.0..=100.0).contains(&self.price_weight) {
                    errors.push(FieldError::new(
                        "out_of_range",
                        "price_weight",
                        "the price weighting is between 0 and 100 percent",
                    ));
                } else if (self.price_weight + questions - 100.0).abs() > WEIGHT_TOLERANCE {
                    errors.push(FieldError::new(
                        "invalid",
                        "price_weight",
                        format!(
                            "the price weighting ({}) and the question weightings ({}) must add up to 100; they add up to {}",
                            num(self.price_weight),
                            num(questions),
                            num(self.price_weight + questions)
                        ),
                    ));
                }
                if !self.questions.is_empty() && sv + WEIGHT_TOLERANCE < MIN_SOCIAL_VALUE_WEIGHT {
                    errors.push(FieldError::new(
                        "out_of_range",
                        "questions",
                        format!(
                            "social value questions must carry at least 10% of the total score (PPN 06/20 and PPN 002); they carry {}%",
                            num(sv)
                        ),
                    ));
                }
            }
            Method::PricePerQualityPoint => {
                if self.price_weight != 0.0 {
                    errors.push(FieldError::new(
                        "invalid",
                        "price_weight",
                        "price per quality point divides the price by the quality points, so the price weighting must be 0",
                    ));
                }
                if !self.questions.is_empty() && (questions - 100.0).abs() > WEIGHT_TOLERANCE {
                    errors.push(FieldError::new(
                        "invalid",
                        "questions",
                        format!(
                            "with price per quality point the question weightings must add up to 100; they add up to {}",
                            num(questions)
                        ),
                    ));
                }
                if !self.questions.is_empty() && sv + WEIGHT_TOLERANCE < MIN_SOCIAL_VALUE_WEIGHT {
                    errors.push(FieldError::new(
                        "out_of_range",
                        "questions",
                        format!(
                            "social value questions must carry at least 10% of the quality score (PPN 002); they carry {}%",
                            num(sv)
                        ),
                    ));
                }
            }
        }
    }

    /// Warnings about a valid tender (empty when none).
    pub fn warnings(&self) -> Vec<TenderWarning> {
        let sv = self.social_value_weight();
        let mut out = Vec::new();
        if sv > HIGH_SOCIAL_VALUE_WEIGHT + WEIGHT_TOLERANCE {
            out.push(TenderWarning {
                code: "social_value_weight_high".into(),
                message: format!(
                    "social value carries {}% of the score, above the usual 10–30%: check this is intended",
                    num(sv)
                ),
                field: "questions".into(),
            });
        }
        out
    }
}

/// A figure for a message: at most 2 decimals, no trailing zeros (`9`, `12.5`).
pub(crate) fn num(x: f64) -> String {
    let r = crate::sroi::display::round_dp(x, 2);
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

/// Area codes: letters and digits, 1 to 12 characters, at most [`MAX_AREAS`].
pub(crate) fn check_areas(errors: &mut Vec<FieldError>, areas: &[String]) {
    if areas.len() > MAX_AREAS {
        errors.push(FieldError::new(
            "too_many",
            "areas",
            format!("at most {MAX_AREAS} areas"),
        ));
    }
    check_area_codes(errors, areas);
}

/// Where a tender is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TenderStatus {
    /// Being set up; only the buyer sees it.
    Draft,
    /// Invited suppliers can see it and bid.
    Open,
    /// Bids are closed and being scored.
    Evaluation,
    /// A bid won and a contract was made.
    Awarded,
    /// Stopped without award.
    Cancelled,
}

impl TenderStatus {
    /// Id as stored and sent.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Evaluation => "evaluation",
            Self::Awarded => "awarded",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses the id.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Draft,
            Self::Open,
            Self::Evaluation,
            Self::Awarded,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|s| s.id() == text)
    }

    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Open => "Open for bids",
            Self::Evaluation => "Evaluation",
            Self::Awarded => "Awarded",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Whether a tender may move from `self` to `next`: draft → open → evaluation → awarded,
    /// and any unawarded tender may be cancelled.
    pub fn can_become(self, next: TenderStatus) -> bool {
        use TenderStatus::*;
        matches!(
            (self, next),
            (Draft, Open)
                | (Open, Evaluation)
                | (Evaluation, Awarded)
                | (Draft | Open | Evaluation, Cancelled)
        )
    }

    /// Whether settings may still change (draft only: bidders answer what they saw).
    pub const fn editable(self) -> bool {
        matches!(self, Self::Draft)
    }
}

impl std::fmt::Display for TenderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// METHOD.md Example 5's tender: price 40, quality 50, social value 10 (two questions, 6%
    /// and 4%).
    pub(crate) fn example5() -> TenderDetails {
        TenderDetails {
            title: "Community transport".into(),
            description: String::new(),
            contract_value_gbp: 1_000_000.0,
            closing_date: Some("2027-01-31".into()),
            start_date: Some("2027-04-01".into()),
            end_date: Some("2030-03-31".into()),
            areas: vec!["E06000026".into()],
            edition: Edition::Svm2020,
            criteria: vec!["MAC 2.2".into(), "MAC 8.1".into()],
            method: Method::WeightedScore,
            price_weight: 40.0,
            questions: vec![
                Question {
                    id: "Q1".into(),
                    kind: QuestionKind::Quality,
                    text: "Service delivery".into(),
                    weight: 50.0,
                    criterion: None,
                },
                Question {
                    id: "SV1".into(),
                    kind: QuestionKind::SocialValue,
                    text: "Jobs for local people".into(),
                    weight: 6.0,
                    criterion: Some("MAC 2.2".into()),
                },
                Question {
                    id: "SV2".into(),
                    kind: QuestionKind::SocialValue,
                    text: "Volunteering".into(),
                    weight: 4.0,
                    criterion: Some("MAC 8.1".into()),
                },
            ],
            scale: default_scale(),
        }
    }

    #[test]
    fn example_5_tender_is_valid_with_weights_adding_to_100() {
        let t = example5();
        t.validate().expect("valid");
        assert_eq!(t.quality_weight(), 50.0);
        assert_eq!(t.social_value_weight(), 10.0);
        assert!(t.warnings().is_empty());
        assert_eq!(t.scale_words(), "0, 20, 50, 80 or 100");
    }

    #[test]
    fn social_value_below_ten_percent_is_refused_and_above_thirty_warned() {
        let mut t = example5();
        t.questions[2].weight = 3.0;
        t.price_weight = 41.0;
        let errors = t.validate().unwrap_err();
        let e = errors.for_field("questions").expect("questions error");
        assert!(e.message.contains("at least 10%"), "{}", e.message);
        assert!(e.message.contains("9%"), "{}", e.message);

        let mut t = example5();
        t.questions[1].weight = 30.0;
        t.price_weight = 16.0;
        t.validate().expect("valid");
        let w = t.warnings();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "social_value_weight_high");
    }

    #[test]
    fn weights_must_add_up_and_every_problem_is_named() {
        let mut t = example5();
        t.price_weight = 45.0;
        t.questions[0].id = "Q 1".into();
        t.questions[1].criterion = Some("MAC 9.9".into());
        t.scale[2].score = 10.0;
        t.end_date = Some("2026-01-01".into());
        let errors = t.validate().unwrap_err();
        for field in [
            "price_weight",
            "questions[0].id",
            "questions[1].criterion",
            "scale[2].score",
            "end_date",
        ] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
        assert!(
            errors
                .for_field("price_weight")
                .unwrap()
                .message
                .contains("add up to 105")
        );
    }

    #[test]
    fn price_per_quality_point_needs_no_price_weight() {
        let mut t = example5();
        t.method = Method::PricePerQualityPoint;
        assert!(
            t.validate()
                .unwrap_err()
                .for_field("price_weight")
                .is_some()
        );
        t.price_weight = 0.0;
        t.questions[0].weight = 90.0;
        t.validate().expect("valid");
    }

    #[test]
    fn a_criterion_outside_the_chosen_ones_is_refused() {
        let mut t = example5();
        t.questions[2].criterion = Some("MAC 4.1".into());
        let errors = t.validate().unwrap_err();
        assert!(
            errors
                .for_field("questions[2].criterion")
                .unwrap()
                .message
                .contains("not one of the criteria chosen")
        );
    }

    #[test]
    fn status_moves_forward_only() {
        use TenderStatus::*;
        assert!(Draft.can_become(Open));
        assert!(Open.can_become(Evaluation));
        assert!(Evaluation.can_become(Awarded));
        assert!(Open.can_become(Cancelled));
        assert!(!Awarded.can_become(Cancelled));
        assert!(!Open.can_become(Draft));
        assert!(!Draft.can_become(Awarded));
        assert_eq!(TenderStatus::parse("evaluation"), Some(Evaluation));
    }
}
