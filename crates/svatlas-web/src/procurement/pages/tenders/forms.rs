//! The procurement forms: what they send (every field a string, so a missing or malformed
//! value reaches our validation and is shown beside its field) and how it becomes a tender or
//! a bid. Checkboxes repeat a name, so forms are read as a list of (name, value) pairs.
//!
//! Field ids: the tender form's start `t-` (question rows `t-q{row}-{field}`), the bid form's
//! `b-` (answers `b-answer-{question}`, commitment rows `b-c{row}-{field}`). The domain's field
//! paths (`questions[1].weight`) are mapped to the ids of the rows they came from.

use serde::Deserialize;
use svatlas_domain::calculator::ProxyLibrary;
use svatlas_domain::procurement::bid::{Answer, BidDetails, Commitment, Milestone, ValueKind};
use svatlas_domain::procurement::model::{Catalogue, Edition};
use svatlas_domain::procurement::scoring::Method;
use svatlas_domain::procurement::tender::{
    MAX_QUESTIONS, Question, QuestionKind, TenderDetails, default_scale,
};
use svatlas_domain::procurement::valuation::{Valuation, apply_valuations};
use svatlas_domain::sroi::{FieldError, ValidationErrors};

use super::method_id;
use crate::platform::format::plain;
pub use crate::platform::forms::Fields;
use crate::platform::forms::{number, optional_number};
use crate::platform::views::{FormErrors, sentence};

/// Question rows on the tender form.
pub const QUESTION_ROWS: usize = 8;
/// Commitment rows on the bid form (more when a saved bid has more).
pub const COMMITMENT_ROWS: usize = 10;

fn optional_text(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Splits `questions[1].weight` into (`questions`, Some(1), `weight`).
fn split_path(path: &str) -> (&str, Option<usize>, &str) {
    let (head, rest) = path.split_once('[').unwrap_or((path, ""));
    let (index, tail) = rest.split_once(']').unwrap_or(("", ""));
    (head, index.parse().ok(), tail.trim_start_matches('.'))
}

/// Adds the domain's problems under the form ids `id_of` gives, skipping fields that already
/// had a problem (a number that could not be read is not also "out of range"). Several
/// problems may share a field (two criteria of the wrong edition): each is listed.
fn add_validation(
    errors: &mut FormErrors,
    e: &ValidationErrors,
    id_of: impl Fn(&FieldError) -> String,
) {
    let before: Vec<String> = errors.0.iter().map(|(f, _)| f.clone()).collect();
    for fe in &e.0 {
        let id = id_of(fe);
        if !before.contains(&id) {
            errors.add(id, sentence(&fe.message));
        }
    }
}

/// One question row of the tender form.
#[derive(Debug, Clone, Default)]
pub struct QuestionRow {
    pub id: String,
    pub kind: String,
    pub text: String,
    pub weight: String,
    pub criterion: String,
}

impl QuestionRow {
    fn is_blank(&self) -> bool {
        [&self.id, &self.text, &self.weight, &self.criterion]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

/// The tender form, as typed. Field ids are prefixed `t-`.
#[derive(Debug, Clone, Default)]
pub struct TenderForm {
    pub organisation_id: String,
    pub title: String,
    pub description: String,
    pub contract_value: String,
    pub closing_date: String,
    pub start_date: String,
    pub end_date: String,
    pub areas: String,
    pub edition: String,
    pub criteria: Vec<String>,
    pub method: String,
    pub price_weight: String,
    pub questions: Vec<QuestionRow>,
}

/// What the tender form sends (`application/x-www-form-urlencoded`), for the API description.
/// Question rows `q0_` to `q7_` (more when the edit page shows a tender with more questions)
/// each send `id`, `kind`, `text`, `weight` and `criterion`; blank rows are ignored.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "describes the form in the API document; the form is read as pairs"
)]
pub struct TenderFormFields {
    /// The buyer organisation (needed when the caller can edit in several).
    pub organisation_id: Option<String>,
    /// What is being bought.
    pub title: String,
    /// More about it.
    pub description: Option<String>,
    /// Estimated contract value, £ (thousands separators allowed).
    pub contract_value: String,
    /// Bids due by, `YYYY-MM-DD`.
    pub closing_date: Option<String>,
    /// Contract start, `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// Contract end, `YYYY-MM-DD`.
    pub end_date: Option<String>,
    /// Area codes, separated by spaces or commas.
    pub areas: Option<String>,
    /// `2020` or `2025`.
    pub edition: String,
    /// A chosen model award criterion (`MAC 2.2`); repeated for each one.
    pub criteria: Option<Vec<String>>,
    /// `weighted_score` or `price_per_quality_point`.
    pub method: String,
    /// Price weighting, percent.
    pub price_weight: Option<String>,
    /// First question's id (`Q1`).
    pub q0_id: Option<String>,
    /// `quality` or `social_value`.
    pub q0_kind: Option<String>,
    /// The question.
    pub q0_text: Option<String>,
    /// Weighting, percent of the total score.
    pub q0_weight: Option<String>,
    /// Model award criterion (social value questions).
    pub q0_criterion: Option<String>,
}

impl TenderForm {
    /// An empty form: edition 2020, weighted score, two question rows started.
    pub fn blank() -> Self {
        let mut questions = vec![QuestionRow::default(); QUESTION_ROWS];
        questions[0].kind = "quality".into();
        for q in &mut questions[1..] {
            q.kind = "social_value".into();
        }
        TenderForm {
            edition: "2020".into(),
            method: method_id(Method::WeightedScore).into(),
            questions,
            ..TenderForm::default()
        }
    }

    /// A tender's settings as the form shows them, to change them: every question in its own
    /// row, then blank rows up to [`QUESTION_ROWS`] (more rows when the tender, made through
    /// the API, has more questions). The scale is not on the form.
    pub fn from_details(d: &TenderDetails) -> Self {
        let mut questions: Vec<QuestionRow> = d
            .questions
            .iter()
            .map(|q| QuestionRow {
                id: q.id.clone(),
                kind: question_kind_id(q.kind).into(),
                text: q.text.clone(),
                weight: plain(q.weight),
                criterion: q.criterion.clone().unwrap_or_default(),
            })
            .collect();
        questions.resize_with(questions.len().max(QUESTION_ROWS), || QuestionRow {
            kind: question_kind_id(QuestionKind::SocialValue).into(),
            ..QuestionRow::default()
        });
        TenderForm {
            organisation_id: String::new(),
            title: d.title.clone(),
            description: d.description.clone(),
            contract_value: plain(d.contract_value_gbp),
            closing_date: d.closing_date.clone().unwrap_or_default(),
            start_date: d.start_date.clone().unwrap_or_default(),
            end_date: d.end_date.clone().unwrap_or_default(),
            areas: d.areas.join(", "),
            edition: d.edition.id().into(),
            criteria: d.criteria.clone(),
            method: method_id(d.method).into(),
            price_weight: plain(d.price_weight),
            questions,
        }
    }

    /// The form as sent.
    pub fn from_fields(f: &Fields) -> Self {
        TenderForm {
            organisation_id: f.get("organisation_id"),
            title: f.get("title"),
            description: f.get("description"),
            contract_value: f.get("contract_value"),
            closing_date: f.get("closing_date"),
            start_date: f.get("start_date"),
            end_date: f.get("end_date"),
            areas: f.get("areas"),
            edition: f.get("edition"),
            criteria: f
                .all("criteria")
                .into_iter()
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect(),
            method: f.get("method"),
            price_weight: f.get("price_weight"),
            questions: (0..question_rows_sent(f))
                .map(|r| QuestionRow {
                    id: f.get(&format!("q{r}_id")),
                    kind: f.get(&format!("q{r}_kind")),
                    text: f.get(&format!("q{r}_text")),
                    weight: f.get(&format!("q{r}_weight")),
                    criterion: f.get(&format!("q{r}_criterion")),
                })
                .collect(),
        }
    }

    /// Whether `id` is ticked.
    pub fn has_criterion(&self, id: &str) -> bool {
        self.criteria.iter().any(|c| c.eq_ignore_ascii_case(id))
    }

    /// The tender's settings, or every problem keyed by field id.
    pub fn parse(&self) -> Result<TenderDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let edition = Edition::parse(&self.edition).unwrap_or_else(|| {
            errors.add(
                "t-edition",
                "Choose the Social Value Model edition, 2020 or 2025",
            );
            Edition::Svm2020
        });
        let contract_value = number(
            &mut errors,
            "t-contract_value",
            &self.contract_value,
            "the contract value in £",
        );
        let method = match self.method.trim() {
            "weighted_score" => Method::WeightedScore,
            "price_per_quality_point" => Method::PricePerQualityPoint,
            _ => {
                errors.add("t-method", "Choose how bids are compared");
                Method::WeightedScore
            }
        };
        let price_weight = if self.price_weight.trim().is_empty() {
            0.0
        } else {
            number(
                &mut errors,
                "t-price_weight",
                &self.price_weight,
                "the price weighting in percent",
            )
        };
        let mut rows = Vec::new();
        let mut questions = Vec::new();
        for (r, q) in self.questions.iter().enumerate() {
            if q.is_blank() {
                continue;
            }
            let kind = QuestionKind::parse(&q.kind).unwrap_or_else(|| {
                errors.add(
                    format!("t-q{r}-kind"),
                    "Choose whether the question is quality or social value",
                );
                QuestionKind::Quality
            });
            let weight = number(
                &mut errors,
                &format!("t-q{r}-weight"),
                &q.weight,
                "the question's weighting in percent",
            );
            rows.push(r);
            questions.push(Question {
                id: q.id.trim().to_owned(),
                kind,
                text: q.text.trim().to_owned(),
                weight,
                criterion: optional_text(&q.criterion),
            });
        }
        let details = TenderDetails {
            title: self.title.trim().to_owned(),
            description: self.description.trim().to_owned(),
            contract_value_gbp: contract_value,
            closing_date: optional_text(&self.closing_date),
            start_date: optional_text(&self.start_date),
            end_date: optional_text(&self.end_date),
            areas: self
                .areas
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|a| !a.is_empty())
                .map(str::to_ascii_uppercase)
                .collect(),
            edition,
            criteria: self.criteria.clone(),
            method,
            price_weight,
            questions,
            scale: default_scale(),
        };
        if let Err(e) = details.validate() {
            add_validation(&mut errors, &e, |fe| tender_field_id(&fe.field, &rows));
        }
        if errors.is_empty() {
            Ok(details)
        } else {
            Err(errors)
        }
    }
}

/// The tender form's id of a domain field path; `rows` maps question positions to form rows.
fn tender_field_id(path: &str, rows: &[usize]) -> String {
    match split_path(path) {
        ("questions", Some(i), field) if !field.is_empty() => {
            format!("t-q{}-{field}", rows.get(i).copied().unwrap_or(i))
        }
        ("contract_value_gbp", ..) => "t-contract_value".into(),
        ("scale", ..) => "t-scale".into(),
        (head, ..) => format!("t-{head}"),
    }
}

/// One commitment row of the bid form.
#[derive(Debug, Clone, Default)]
pub struct CommitmentRow {
    pub criterion: String,
    pub metric: String,
    pub description: String,
    pub target: String,
    pub unit: String,
    pub start_date: String,
    pub end_date: String,
    pub area: String,
    pub partners: String,
    pub value: String,
    pub value_kind: String,
    pub value_basis: String,
    /// One milestone a line: `due date, cumulative target, description`.
    pub milestones: String,
    /// A library proxy to value the commitment with the calculator's engine (empty: none).
    pub proxy: String,
    /// Years each unit's benefit lasts (default 1).
    pub years: String,
    /// Deflators in percent (default 0).
    pub deadweight: String,
    pub attribution: String,
    pub displacement: String,
    pub leakage: String,
    pub dropoff: String,
}

impl CommitmentRow {
    /// Whether nothing was typed in the row.
    pub fn is_blank(&self) -> bool {
        [
            &self.criterion,
            &self.metric,
            &self.description,
            &self.target,
            &self.unit,
            &self.start_date,
            &self.end_date,
            &self.area,
            &self.partners,
            &self.value,
            &self.value_kind,
            &self.value_basis,
            &self.milestones,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
            && self
                .valuation_fields()
                .iter()
                .all(|(_, s)| s.trim().is_empty())
    }

    /// The valuation fields as (form name, typed value).
    fn valuation_fields(&self) -> [(&'static str, &String); 7] {
        [
            ("proxy", &self.proxy),
            ("years", &self.years),
            ("deadweight", &self.deadweight),
            ("attribution", &self.attribution),
            ("displacement", &self.displacement),
            ("leakage", &self.leakage),
            ("dropoff", &self.dropoff),
        ]
    }

    /// The valuation typed, if a proxy is chosen; problems go under the row's field ids.
    fn valuation(&self, errors: &mut FormErrors, r: usize) -> Option<Valuation> {
        let at = |f: &str| format!("b-c{r}-{f}");
        if self.proxy.trim().is_empty() {
            if self.valuation_fields()[1..]
                .iter()
                .any(|(_, s)| !s.trim().is_empty())
            {
                errors.add(
                    at("proxy"),
                    "Choose the proxy to value the commitment with, or clear the valuation figures",
                );
            }
            return None;
        }
        let years = match self.years.trim() {
            "" => 1,
            text => text.parse::<i64>().unwrap_or_else(|_| {
                errors.add(at("years"), "Enter the years as a whole number, such as 3");
                1
            }),
        };
        let mut share = |name: &str, text: &str| match text.trim().trim_end_matches('%').trim() {
            "" => 0.0,
            t => match t.parse::<f64>() {
                Ok(x) if x.is_finite() => x / 100.0,
                _ => {
                    errors.add(at(name), "Enter a percentage, such as 25");
                    0.0
                }
            },
        };
        Some(Valuation {
            proxy_id: self.proxy.trim().to_owned(),
            duration_years: years,
            deadweight: share("deadweight", &self.deadweight),
            attribution: share("attribution", &self.attribution),
            displacement: share("displacement", &self.displacement),
            leakage: share("leakage", &self.leakage),
            dropoff: share("dropoff", &self.dropoff),
        })
    }

    fn from_commitment(c: &Commitment) -> Self {
        CommitmentRow {
            criterion: c.criterion.clone(),
            metric: c.metric_id.clone().unwrap_or_default(),
            description: c.description.clone(),
            target: plain(c.target),
            unit: c.unit.clone(),
            start_date: c.start_date.clone().unwrap_or_default(),
            end_date: c.end_date.clone().unwrap_or_default(),
            area: c.area.clone().unwrap_or_default(),
            partners: c.partners.join(", "),
            value: c.estimated_value_gbp.map(plain).unwrap_or_default(),
            value_kind: c.value_kind.map(value_kind_id).unwrap_or_default().into(),
            value_basis: c.value_basis.clone().unwrap_or_default(),
            milestones: c
                .milestones
                .iter()
                .map(|m| {
                    let line = format!("{}, {}", m.due, plain(m.target));
                    if m.description.is_empty() {
                        line
                    } else {
                        format!("{line}, {}", m.description)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            proxy: c
                .valuation
                .as_ref()
                .map(|v| v.proxy_id.clone())
                .unwrap_or_default(),
            years: c
                .valuation
                .as_ref()
                .map(|v| v.duration_years.to_string())
                .unwrap_or_default(),
            deadweight: percent(c, |v| v.deadweight),
            attribution: percent(c, |v| v.attribution),
            displacement: percent(c, |v| v.displacement),
            leakage: percent(c, |v| v.leakage),
            dropoff: percent(c, |v| v.dropoff),
        }
    }
}

/// A valuation's deflator in percent for the form (empty without a valuation).
fn percent(c: &Commitment, of: impl Fn(&Valuation) -> f64) -> String {
    c.valuation
        .as_ref()
        .map(|v| plain(of(v) * 100.0))
        .unwrap_or_default()
}

/// Milestone lines as typed (`2028-03-31, 2, Year 1`; the description may hold commas), or
/// the first problem with its line number. Dates are checked with the rest of the bid.
fn parse_milestones(text: &str) -> Result<Vec<Milestone>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let mut parts = line.splitn(3, ',').map(str::trim);
            let due = parts.next().unwrap_or_default().to_owned();
            let target = parts.next().unwrap_or_default();
            let description = parts.next().unwrap_or_default().to_owned();
            match target.parse::<f64>() {
                Ok(target) if target.is_finite() => Ok(Milestone {
                    due,
                    target,
                    description,
                }),
                _ => Err(format!(
                    "Milestone line {}: write the due date, a comma and the number to reach by then, such as 2028-03-31, 2, Year 1",
                    i + 1
                )),
            }
        })
        .collect()
}

/// The form id of a question kind.
pub const fn question_kind_id(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Quality => "quality",
        QuestionKind::SocialValue => "social_value",
    }
}

/// How many question rows the form sent: [`QUESTION_ROWS`], or more when the edit page showed
/// a tender with more questions (each row sends its id field, even empty).
fn question_rows_sent(f: &Fields) -> usize {
    QUESTION_ROWS
        + (QUESTION_ROWS..MAX_QUESTIONS)
            .take_while(|r| f.has(&format!("q{r}_id")))
            .count()
}

/// The form id of a value kind.
pub const fn value_kind_id(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Wellbeing => "wellbeing",
        ValueKind::Fiscal => "fiscal",
        ValueKind::Economic => "economic",
    }
}

/// The bid form, as typed. Field ids are prefixed `b-`.
#[derive(Debug, Clone, Default)]
pub struct BidForm {
    pub price: String,
    /// One answer per tender question, in the tender's order.
    pub answers: Vec<String>,
    pub commitments: Vec<CommitmentRow>,
}

/// What the bid form sends (`application/x-www-form-urlencoded`), for the API description.
/// `answer_{n}` answers the tender's question n (from 0); commitment rows `c0_` to `c9_` each
/// send `criterion`, `metric`, `description`, `target`, `unit`, `start_date`, `end_date`,
/// `area`, `partners`, `value`, `value_kind`, `value_basis` and `milestones` (one a line:
/// `due date, cumulative target, description`); blank rows are ignored.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "describes the form in the API document; the form is read as pairs"
)]
pub struct BidFormFields {
    /// Bid price, £.
    pub price: String,
    /// Method statement for the first question.
    pub answer_0: Option<String>,
    /// First commitment's criterion (`MAC 2.2`).
    pub c0_criterion: Option<String>,
    /// Its reporting metric id (`SVM20-2.2-c`), if any.
    pub c0_metric: Option<String>,
    /// What will be done.
    pub c0_description: Option<String>,
    /// How much.
    pub c0_target: Option<String>,
    /// Estimated monetised value, £ (an estimate).
    pub c0_value: Option<String>,
    /// `wellbeing`, `fiscal` or `economic`.
    pub c0_value_kind: Option<String>,
    /// Milestones, one a line: `2028-03-31, 2, Year 1`.
    pub c0_milestones: Option<String>,
    /// `submit` to submit straight after saving.
    pub then: Option<String>,
}

impl BidForm {
    /// The form for a tender, filled from a saved bid (if any), with blank rows to add more.
    pub fn from_bid(tender: &TenderDetails, bid: Option<&BidDetails>) -> Self {
        let mut commitments: Vec<CommitmentRow> = bid
            .map(|b| {
                b.commitments
                    .iter()
                    .map(CommitmentRow::from_commitment)
                    .collect()
            })
            .unwrap_or_default();
        let rows = commitments.len().max(COMMITMENT_ROWS);
        commitments.resize_with(rows, CommitmentRow::default);
        BidForm {
            price: bid.map(|b| plain(b.price_gbp)).unwrap_or_default(),
            answers: tender
                .questions
                .iter()
                .map(|q| {
                    bid.and_then(|b| b.answer(&q.id))
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect(),
            commitments,
        }
    }

    /// The form as sent (`rows` commitment rows at least).
    pub fn from_fields(f: &Fields, tender: &TenderDetails) -> Self {
        let mut rows = COMMITMENT_ROWS;
        while f.has(&format!("c{rows}_criterion")) || f.has(&format!("c{rows}_description")) {
            rows += 1;
        }
        BidForm {
            price: f.get("price"),
            answers: (0..tender.questions.len())
                .map(|i| f.get(&format!("answer_{i}")))
                .collect(),
            commitments: (0..rows)
                .map(|r| {
                    let g = |name: &str| f.get(&format!("c{r}_{name}"));
                    CommitmentRow {
                        criterion: g("criterion"),
                        metric: g("metric"),
                        description: g("description"),
                        target: g("target"),
                        unit: g("unit"),
                        start_date: g("start_date"),
                        end_date: g("end_date"),
                        area: g("area"),
                        partners: g("partners"),
                        value: g("value"),
                        value_kind: g("value_kind"),
                        value_basis: g("value_basis"),
                        milestones: g("milestones"),
                        proxy: g("proxy"),
                        years: g("years"),
                        deadweight: g("deadweight"),
                        attribution: g("attribution"),
                        displacement: g("displacement"),
                        leakage: g("leakage"),
                        dropoff: g("dropoff"),
                    }
                })
                .collect(),
        }
    }

    /// The bid, or every problem keyed by field id.
    pub fn parse(&self, tender: &TenderDetails) -> Result<BidDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let price = number(&mut errors, "b-price", &self.price, "the bid price in £");
        let mut answered = Vec::new();
        let mut answers = Vec::new();
        for (i, (q, text)) in tender.questions.iter().zip(&self.answers).enumerate() {
            if !text.trim().is_empty() {
                answered.push(i);
                answers.push(Answer {
                    question_id: q.id.clone(),
                    text: text.trim().to_owned(),
                });
            }
        }
        let mut rows = Vec::new();
        let mut commitments = Vec::new();
        for (r, c) in self.commitments.iter().enumerate() {
            if c.is_blank() {
                continue;
            }
            let at = |f: &str| format!("b-c{r}-{f}");
            let target = number(&mut errors, &at("target"), &c.target, "the target");
            let value = optional_number(
                &mut errors,
                &at("value"),
                &c.value,
                "the estimated value in £",
            );
            let value_kind = match c.value_kind.trim() {
                "" => None,
                "wellbeing" => Some(ValueKind::Wellbeing),
                "fiscal" => Some(ValueKind::Fiscal),
                "economic" => Some(ValueKind::Economic),
                _ => {
                    errors.add(at("value_kind"), "Choose wellbeing, fiscal or economic");
                    None
                }
            };
            let milestones = parse_milestones(&c.milestones).unwrap_or_else(|message| {
                errors.add(at("milestones"), message);
                Vec::new()
            });
            let valuation = c.valuation(&mut errors, r);
            rows.push(r);
            commitments.push(Commitment {
                criterion: c.criterion.trim().to_owned(),
                metric_id: optional_text(&c.metric),
                description: c.description.trim().to_owned(),
                target,
                unit: c.unit.trim().to_owned(),
                start_date: optional_text(&c.start_date),
                end_date: optional_text(&c.end_date),
                area: optional_text(&c.area).map(|a| a.to_ascii_uppercase()),
                milestones,
                partners: c
                    .partners
                    .split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect(),
                estimated_value_gbp: value,
                value_kind,
                value_basis: optional_text(&c.value_basis),
                valuation,
            });
        }
        let mut details = BidDetails {
            price_gbp: price,
            answers,
            commitments,
        }
        .normalised(tender);
        let valued = apply_valuations(&mut details, ProxyLibrary::shipped());
        if let Err(e) = valued.and_then(|()| details.validate(tender, false)) {
            add_validation(&mut errors, &e, |fe| {
                bid_field_id(fe, tender, &answered, &rows)
            });
        }
        if errors.is_empty() {
            Ok(details)
        } else {
            Err(errors)
        }
    }
}

/// The problems that stop a saved bid being submitted, keyed by the bid form's ids.
pub fn submit_problems(tender: &TenderDetails, bid: &BidDetails) -> FormErrors {
    let mut errors = FormErrors::default();
    if let Err(e) = bid.validate(tender, true) {
        let answered: Vec<usize> = bid
            .answers
            .iter()
            .map(|a| {
                tender
                    .questions
                    .iter()
                    .position(|q| q.id == a.question_id)
                    .unwrap_or(0)
            })
            .collect();
        let rows: Vec<usize> = (0..bid.commitments.len()).collect();
        add_validation(&mut errors, &e, |fe| {
            bid_field_id(fe, tender, &answered, &rows)
        });
    }
    errors
}

fn answer_id_of(tender: &TenderDetails, message: &str) -> String {
    let i = tender
        .questions
        .iter()
        .position(|q| message == format!("question {} has no answer yet", q.id))
        .unwrap_or(0);
    format!("b-answer-{i}")
}

/// The bid form's id of a domain problem: `answered` maps answer positions to questions,
/// `rows` commitment positions to form rows. An unanswered question (field `answers`) is found
/// from the message, which names it.
fn bid_field_id(
    fe: &FieldError,
    tender: &TenderDetails,
    answered: &[usize],
    rows: &[usize],
) -> String {
    match split_path(&fe.field) {
        ("price_gbp", ..) => "b-price".into(),
        ("answers", Some(j), _) => format!("b-answer-{}", answered.get(j).copied().unwrap_or(j)),
        ("answers", None, _) => answer_id_of(tender, &fe.message),
        ("commitments", Some(j), field) => {
            let r = rows.get(j).copied().unwrap_or(j);
            let (name, ..) = split_path(field);
            let name = match name {
                "metric_id" => "metric",
                "estimated_value_gbp" => "value",
                "valuation.proxy_id" => "proxy",
                "valuation.duration_years" => "years",
                other if other.starts_with("valuation.") => &other["valuation.".len()..],
                "milestones" => "milestones",
                "" => "description",
                other => other,
            };
            format!("b-c{r}-{name}")
        }
        (head, ..) => format!("b-{head}"),
    }
}

/// Reporting metrics of the tender's criteria, grouped by criterion, for the metric select.
pub struct MetricGroup {
    pub label: String,
    pub metrics: Vec<(String, String)>,
}

/// The criteria a bid may commit to: the tender's, or every criterion of its edition when the
/// tender names none.
pub fn bid_criteria(tender: &TenderDetails) -> Vec<String> {
    let catalogue = Catalogue::shipped().edition(tender.edition);
    if tender.criteria.is_empty() {
        catalogue.criteria().map(|c| c.id.clone()).collect()
    } else {
        tender
            .criteria
            .iter()
            .map(|id| {
                catalogue
                    .criterion(id)
                    .map_or_else(|| id.clone(), |c| c.id.clone())
            })
            .collect()
    }
}

/// Metrics of the bid's criteria.
pub fn metric_groups(tender: &TenderDetails) -> Vec<MetricGroup> {
    let catalogue = Catalogue::shipped().edition(tender.edition);
    bid_criteria(tender)
        .iter()
        .filter_map(|id| catalogue.criterion(id))
        .filter(|c| !c.metrics.is_empty())
        .map(|c| MetricGroup {
            label: format!("{}: {}", c.id, c.title),
            metrics: c
                .metrics
                .iter()
                .map(|m| (m.id.clone(), format!("{} – {} ({})", m.id, m.text, m.unit)))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example5() -> Vec<(String, String)> {
        [
            ("title", "Community transport"),
            ("contract_value", "£1,000,000"),
            ("edition", "2020"),
            ("criteria", "MAC 2.2"),
            ("criteria", "MAC 8.1"),
            ("method", "weighted_score"),
            ("price_weight", "40"),
            ("q0_id", "Q1"),
            ("q0_kind", "quality"),
            ("q0_text", "Service delivery"),
            ("q0_weight", "50"),
            ("q1_kind", "social_value"),
            ("q2_id", "SV1"),
            ("q2_kind", "social_value"),
            ("q2_text", "Jobs"),
            ("q2_weight", "6%"),
            ("q2_criterion", "MAC 2.2"),
            ("q3_id", "SV2"),
            ("q3_kind", "social_value"),
            ("q3_text", "Volunteering"),
            ("q3_weight", "4"),
            ("q3_criterion", "MAC 8.1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[test]
    fn tender_form_skips_blank_rows_and_maps_errors_to_their_rows() {
        let form = TenderForm::from_fields(&Fields::new(example5()));
        let d = form.parse().expect("valid");
        assert_eq!(d.questions.len(), 3);
        assert_eq!(d.social_value_weight(), 10.0);
        assert_eq!(d.criteria, vec!["MAC 2.2", "MAC 8.1"]);

        let mut pairs = example5();
        for (k, v) in &mut pairs {
            if k == "q3_weight" {
                *v = "lots".into();
            }
            if k == "q2_criterion" {
                *v = "MAC 4.1".into();
            }
        }
        let errors = TenderForm::from_fields(&Fields::new(pairs))
            .parse()
            .expect_err("invalid");
        assert!(errors.get("t-q3-weight").unwrap().contains("number"));
        assert!(
            errors
                .get("t-q2-criterion")
                .unwrap()
                .contains("not one of the criteria")
        );
    }

    #[test]
    fn a_tender_shown_on_the_form_reads_back_unchanged() {
        let d = TenderDetails {
            title: "Community transport, Plymouth".into(),
            description: "Door-to-door transport for older and disabled residents.".into(),
            contract_value_gbp: 1_250_000.5,
            closing_date: Some("2027-01-31".into()),
            start_date: Some("2027-04-01".into()),
            end_date: None,
            areas: vec!["E06000026".into(), "E01015023".into()],
            edition: Edition::Svm2020,
            criteria: vec!["MAC 2.2".into(), "MAC 8.1".into()],
            method: Method::WeightedScore,
            price_weight: 37.5,
            questions: vec![
                Question {
                    id: "Q1".into(),
                    kind: QuestionKind::Quality,
                    text: "How will you run the service?".into(),
                    weight: 50.0,
                    criterion: None,
                },
                Question {
                    id: "SV1".into(),
                    kind: QuestionKind::SocialValue,
                    text: "Jobs and apprenticeships for local people".into(),
                    weight: 8.5,
                    criterion: Some("MAC 2.2".into()),
                },
                Question {
                    id: "SV2".into(),
                    kind: QuestionKind::SocialValue,
                    text: "Co-design with service users".into(),
                    weight: 4.0,
                    criterion: Some("MAC 8.1".into()),
                },
            ],
            scale: default_scale(),
        };
        d.validate().expect("a valid tender");
        let form = TenderForm::from_details(&d);
        assert_eq!(form.contract_value, "1250000.5");
        assert_eq!(form.areas, "E06000026, E01015023");
        assert_eq!(form.edition, "2020");
        assert_eq!(form.method, "weighted_score");
        assert_eq!(form.questions.len(), QUESTION_ROWS);
        assert_eq!(form.questions[1].kind, "social_value");
        assert_eq!(form.questions[1].weight, "8.5");
        assert!(form.questions[3..].iter().all(QuestionRow::is_blank));
        assert_eq!(form.parse().expect("valid"), d);

        // Price per quality point, 2025 edition, more questions than the form's rows: each
        // gets a row, and the rows the browser sends back are all read.
        let mut many = d.clone();
        many.edition = Edition::Svm2025;
        many.criteria = vec!["MAC 1a".into()];
        many.method = Method::PricePerQualityPoint;
        many.price_weight = 0.0;
        many.questions = (0..10)
            .map(|i| Question {
                id: format!("SV{i}"),
                kind: QuestionKind::SocialValue,
                text: format!("Question {i}"),
                weight: 10.0,
                criterion: Some("MAC 1a".into()),
            })
            .collect();
        many.validate().expect("a valid tender");
        let form = TenderForm::from_details(&many);
        assert_eq!(form.questions.len(), 10);
        assert_eq!(form.parse().expect("valid"), many);
        let mut pairs: Vec<(String, String)> = [
            ("title", form.title.as_str()),
            ("description", &form.description),
            ("contract_value", &form.contract_value),
            ("closing_date", &form.closing_date),
            ("start_date", &form.start_date),
            ("end_date", &form.end_date),
            ("areas", &form.areas),
            ("edition", &form.edition),
            ("criteria", "MAC 1a"),
            ("method", &form.method),
            ("price_weight", &form.price_weight),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        for (r, q) in form.questions.iter().enumerate() {
            for (field, value) in [
                ("id", &q.id),
                ("kind", &q.kind),
                ("text", &q.text),
                ("weight", &q.weight),
                ("criterion", &q.criterion),
            ] {
                pairs.push((format!("q{r}_{field}"), value.clone()));
            }
        }
        let sent = TenderForm::from_fields(&Fields::new(pairs));
        assert_eq!(sent.parse().expect("valid"), many);
    }

    #[test]
    fn criteria_are_checked_against_the_chosen_edition() {
        let mut pairs = example5();
        pairs.push(("criteria".into(), "MAC 1a".into()));
        let errors = TenderForm::from_fields(&Fields::new(pairs.clone()))
            .parse()
            .expect_err("a 2025 criterion in a 2020 tender");
        let m = errors.get("t-criteria").expect("criteria error");
        assert!(m.contains("MAC 1a") && m.contains("2020 edition"), "{m}");

        // The same form as a 2025 tender: its 2020 criteria are refused instead.
        for (k, v) in &mut pairs {
            if k == "edition" {
                *v = "2025".into();
            }
        }
        let errors = TenderForm::from_fields(&Fields::new(pairs))
            .parse()
            .expect_err("2020 criteria in a 2025 tender");
        let listed: Vec<&str> = errors
            .0
            .iter()
            .filter(|(f, _)| f == "t-criteria")
            .map(|(_, m)| m.as_str())
            .collect();
        assert_eq!(
            listed.len(),
            2,
            "each wrong criterion is listed: {listed:?}"
        );
        assert!(listed[0].contains("MAC 2.2") && listed[1].contains("MAC 8.1"));
        assert!(errors.get("t-q2-criterion").is_some(), "{errors:?}");
    }

    #[test]
    fn social_value_below_ten_percent_names_the_questions() {
        let mut pairs = example5();
        for (k, v) in &mut pairs {
            match k.as_str() {
                "q2_weight" => *v = "5".into(),
                "q3_weight" => *v = "3".into(),
                "price_weight" => *v = "42".into(),
                _ => {}
            }
        }
        let errors = TenderForm::from_fields(&Fields::new(pairs))
            .parse()
            .expect_err("8%");
        let m = errors.get("t-questions").expect("questions error");
        assert!(m.contains("at least 10%") && m.contains("8%"), "{m}");
    }

    #[test]
    fn bid_form_reads_commitments_and_names_their_fields() {
        let tender = TenderForm::from_fields(&Fields::new(example5()))
            .parse()
            .unwrap();
        let pairs: Vec<(String, String)> = [
            ("price", "900,000"),
            ("answer_0", "Minibuses"),
            ("c1_criterion", "MAC 2.2"),
            ("c1_metric", "SVM20-2.2-c"),
            ("c1_description", "Apprenticeships"),
            ("c1_target", "6"),
            ("c1_value", "12000"),
            ("c1_value_kind", "economic"),
            ("c1_partners", "Skills Hub, Youth Trust"),
            (
                "c1_milestones",
                "2028-03-31, 2, Year 1, first cohort\r\n\r\n2029-03-31, 4",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let form = BidForm::from_fields(&Fields::new(pairs), &tender);
        let bid = form.parse(&tender).expect("valid");
        assert_eq!(bid.price_gbp, 900_000.0);
        let ms = &bid.commitments[0].milestones;
        assert_eq!(ms.len(), 2, "{ms:?}");
        assert_eq!(
            (ms[0].due.as_str(), ms[0].target, ms[0].description.as_str()),
            ("2028-03-31", 2.0, "Year 1, first cohort")
        );
        assert_eq!((ms[1].due.as_str(), ms[1].target), ("2029-03-31", 4.0));
        // The saved bid fills the form with the same lines.
        let again = BidForm::from_bid(&tender, Some(&bid));
        assert_eq!(
            again.commitments[0].milestones,
            "2028-03-31, 2, Year 1, first cohort\n2029-03-31, 4"
        );
        let mut bad_milestone = form.clone();
        bad_milestone.commitments[1].milestones = "2028-03-31, 2\n2029-03-31, four".into();
        let errors = bad_milestone.parse(&tender).expect_err("invalid");
        let message = errors.get("b-c1-milestones").expect("milestone error");
        assert!(message.contains("line 2"), "{message}");
        assert_eq!(bid.commitments.len(), 1);
        assert_eq!(bid.commitments[0].partners.len(), 2);
        assert!(!bid.commitments[0].unit.is_empty(), "unit from the metric");
        let problems = submit_problems(&tender, &bid);
        assert!(problems.get("b-answer-1").is_some(), "{problems:?}");
        assert!(problems.get("b-answer-2").is_some(), "{problems:?}");

        let mut bad = form.clone();
        bad.commitments[1].value_kind.clear();
        bad.commitments[1].criterion = "MAC 4.1".into();
        let errors = bad.parse(&tender).expect_err("invalid");
        assert!(errors.get("b-c1-value_kind").is_some(), "{errors:?}");
        assert!(errors.get("b-c1-criterion").is_some(), "{errors:?}");
    }
}
