//! What a VCSE needs, what suppliers pledge towards it, and delivery: the supplier reports
//! what it delivered (quantity, date, a link to evidence), the VCSE confirms it or queries it,
//! and only confirmed delivery counts ([`need_progress`]).
//!
//! A pledge moves `pledged` → `reported` → `confirmed`, or `reported` → `queried` →
//! `reported` again once the supplier answers; a report may be corrected until the VCSE has
//! looked at it.

use serde::{Deserialize, Serialize};

use super::profile::is_https_url;
use crate::calculator::entries::{
    check_date, check_note, check_optional, check_required, finish, is_iso_date,
};
use crate::sroi::{FieldError, ValidationErrors};

/// Longest description of a need or pledge, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 2_000;
/// Longest note on a report or review, in characters.
pub const NOTE_MAX_CHARS: usize = 5_000;
/// Longest unit, in characters.
pub const UNIT_MAX_CHARS: usize = 60;
/// Largest quantity accepted.
pub const MAX_QUANTITY: f64 = 1e12;

/// What kind of help a VCSE needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NeedKind {
    /// People's time.
    Volunteers,
    /// Donated goods or equipment.
    Goods,
    /// Money.
    Funding,
    /// Professional skills (pro bono).
    Skills,
    /// Space to use.
    Premises,
}

impl NeedKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [NeedKind; 5] = [
        NeedKind::Volunteers,
        NeedKind::Goods,
        NeedKind::Funding,
        NeedKind::Skills,
        NeedKind::Premises,
    ];

    /// Id as stored and in the API.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Volunteers => "volunteers",
            Self::Goods => "goods",
            Self::Funding => "funding",
            Self::Skills => "skills",
            Self::Premises => "premises",
        }
    }

    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Volunteers => "Volunteers",
            Self::Goods => "Goods",
            Self::Funding => "Funding",
            Self::Skills => "Skills",
            Self::Premises => "Premises",
        }
    }

    /// The unit a quantity is counted in when none is given.
    pub const fn default_unit(self) -> &'static str {
        match self {
            Self::Volunteers => "volunteer hours",
            Self::Goods => "items",
            Self::Funding => "£",
            Self::Skills => "hours",
            Self::Premises => "hours",
        }
    }

    /// Parses the id.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == text.trim())
    }
}

/// A need as the VCSE enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NeedDetails {
    /// `volunteers`, `goods`, `funding`, `skills` or `premises`.
    pub kind: NeedKind,
    /// What is needed, in a sentence or two.
    pub description: String,
    /// How much, if it can be counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    /// Unit of the quantity (default by kind: volunteer hours, items, £, hours).
    #[serde(default)]
    pub unit: String,
    /// Still wanted; a met or withdrawn need is closed and takes no new pledges.
    #[serde(default = "yes")]
    pub open: bool,
}

const fn yes() -> bool {
    true
}

/// The checks a need and a pledge share: a description, and a quantity `what` (needed,
/// pledged) when it is counted.
fn described_and_counted(description: &str, quantity: Option<f64>, what: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check_required(
        &mut errors,
        "description",
        description,
        DESCRIPTION_MAX_CHARS,
    );
    check_quantity(
        &mut errors,
        "quantity",
        quantity,
        &format!("the quantity {what}"),
    );
    errors
}

fn check_quantity(errors: &mut Vec<FieldError>, field: &str, q: Option<f64>, what: &str) {
    if let Some(q) = q
        && !(q.is_finite() && q > 0.0 && q <= MAX_QUANTITY)
    {
        errors.push(FieldError::new(
            "out_of_range",
            field,
            format!("{what} must be more than 0"),
        ));
    }
}

impl NeedDetails {
    /// Trims the text and fills the unit from the kind.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        self.description = self.description.trim().to_owned();
        self.unit = self.unit.trim().to_owned();
        if self.unit.is_empty() {
            self.unit = self.kind.default_unit().to_owned();
        }
        self
    }

    /// Every problem, naming its field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = described_and_counted(&self.description, self.quantity, "needed");
        check_optional(&mut errors, "unit", &self.unit, UNIT_MAX_CHARS);
        finish(errors)
    }
}

/// A supplier's pledge towards one need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PledgeDetails {
    /// How much, in the need's unit (volunteer hours, items, £...), if it can be counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    /// What the supplier will do.
    pub description: String,
    /// By when, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
}

impl PledgeDetails {
    /// Every problem, naming its field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = described_and_counted(&self.description, self.quantity, "pledged");
        check_date(&mut errors, "due_date", self.due_date.as_deref());
        finish(errors)
    }
}

/// Where a pledge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PledgeStatus {
    /// Promised; nothing reported yet.
    Pledged,
    /// The supplier reported delivery; awaiting the VCSE.
    Reported,
    /// The VCSE confirmed the delivery: it counts.
    Confirmed,
    /// The VCSE queried the report; the supplier may report again.
    Queried,
}

impl PledgeStatus {
    /// Id as stored.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Pledged => "pledged",
            Self::Reported => "reported",
            Self::Confirmed => "confirmed",
            Self::Queried => "queried",
        }
    }

    /// Parses the id.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Pledged,
            Self::Reported,
            Self::Confirmed,
            Self::Queried,
        ]
        .into_iter()
        .find(|s| s.id() == text)
    }

    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Pledged => "Pledged",
            Self::Reported => "Delivery reported, awaiting confirmation",
            Self::Confirmed => "Delivery confirmed",
            Self::Queried => "Delivery queried",
        }
    }

    /// Whether the supplier may report (or correct) delivery now.
    pub const fn can_report(self) -> bool {
        matches!(self, Self::Pledged | Self::Reported | Self::Queried)
    }

    /// Whether the VCSE may confirm or query now.
    pub const fn reviewable(self) -> bool {
        matches!(self, Self::Reported)
    }
}

/// What the supplier delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliveryReport {
    /// Quantity delivered, in the need's unit.
    pub quantity: f64,
    /// When, `YYYY-MM-DD`.
    pub delivered_on: String,
    /// A link to evidence held elsewhere (https), e.g. a signed timesheet or receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_link: Option<String>,
    /// What was done.
    #[serde(default)]
    pub note: String,
}

impl DeliveryReport {
    /// Every problem, naming its field. `today` (`YYYY-MM-DD`) bounds the delivery date.
    pub fn validate(&self, today: &str) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        if !(self.quantity.is_finite() && self.quantity > 0.0 && self.quantity <= MAX_QUANTITY) {
            errors.push(FieldError::new(
                "out_of_range",
                "quantity",
                "the quantity delivered must be more than 0",
            ));
        }
        check_date(&mut errors, "delivered_on", Some(&self.delivered_on));
        if is_iso_date(&self.delivered_on)
            && is_iso_date(today)
            && self.delivered_on.as_str() > today
        {
            errors.push(FieldError::new(
                "out_of_range",
                "delivered_on",
                "delivery can only be reported once it has happened: the date is in the future",
            ));
        }
        if let Some(link) = &self.evidence_link
            && !is_https_url(link.trim())
        {
            errors.push(FieldError::new(
                "invalid",
                "evidence_link",
                "the evidence link must be a web address starting https://",
            ));
        }
        check_optional(&mut errors, "note", &self.note, NOTE_MAX_CHARS);
        finish(errors)
    }
}

/// The VCSE's answer to a delivery report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PledgeReview {
    /// It happened as reported: counts as delivered.
    Confirm,
    /// Something is wrong or missing; the note says what.
    Query,
}

impl PledgeReview {
    /// The status the pledge takes.
    pub const fn status(self) -> PledgeStatus {
        match self {
            Self::Confirm => PledgeStatus::Confirmed,
            Self::Query => PledgeStatus::Queried,
        }
    }
}

/// A query must say what is wrong.
pub fn check_pledge_review(review: PledgeReview, note: &str) -> Result<(), ValidationErrors> {
    check_note(
        review == PledgeReview::Query,
        note,
        NOTE_MAX_CHARS,
        "say what is wrong or missing, so the supplier can answer",
    )
}

/// A pledge as the totals need it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PledgeFigure {
    /// Quantity pledged, if counted.
    pub pledged: Option<f64>,
    /// Where it is.
    pub status: PledgeStatus,
    /// Quantity reported delivered, if reported.
    pub delivered: Option<f64>,
}

/// Pledges towards one need, added up.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedProgress {
    /// Number of pledges.
    pub pledges: usize,
    /// Quantity pledged (pledges that give one).
    pub pledged: f64,
    /// Quantity delivered and confirmed by the VCSE: the only delivery that counts.
    pub confirmed: f64,
    /// Quantity reported but not (yet) confirmed: awaiting confirmation or queried.
    pub unconfirmed: f64,
}

/// Adds up pledges: only confirmed delivery counts as delivered.
pub fn need_progress(pledges: &[PledgeFigure]) -> NeedProgress {
    let mut out = NeedProgress {
        pledges: pledges.len(),
        ..NeedProgress::default()
    };
    for p in pledges {
        out.pledged += p.pledged.unwrap_or(0.0);
        let delivered = p.delivered.unwrap_or(0.0);
        match p.status {
            PledgeStatus::Confirmed => out.confirmed += delivered,
            PledgeStatus::Reported | PledgeStatus::Queried => out.unconfirmed += delivered,
            PledgeStatus::Pledged => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_take_a_default_unit_and_are_checked() {
        let n = NeedDetails {
            kind: NeedKind::Volunteers,
            description: " Befrienders for older people ".into(),
            quantity: Some(200.0),
            unit: " ".into(),
            open: true,
        }
        .normalised();
        assert_eq!(n.unit, "volunteer hours");
        assert_eq!(n.description, "Befrienders for older people");
        n.validate().expect("valid");
        let bad = NeedDetails {
            kind: NeedKind::Funding,
            description: String::new(),
            quantity: Some(-5.0),
            unit: "£".into(),
            open: true,
        };
        let e = bad.validate().expect_err("two problems");
        assert!(e.for_field("description").is_some() && e.for_field("quantity").is_some());
        assert_eq!(NeedKind::parse("premises"), Some(NeedKind::Premises));
        assert_eq!(NeedKind::parse("cash"), None);
        let json: NeedDetails =
            serde_json::from_str(r#"{"kind":"goods","description":"Laptops"}"#).unwrap();
        assert!(json.open, "needs are open unless closed");
    }

    #[test]
    fn pledges_and_reports_are_checked() {
        let p = PledgeDetails {
            quantity: Some(40.0),
            description: "Staff volunteering days".into(),
            due_date: Some("2027-02-30".into()),
        };
        assert!(p.validate().unwrap_err().for_field("due_date").is_some());
        let r = DeliveryReport {
            quantity: 0.0,
            delivered_on: "2027-05-01".into(),
            evidence_link: Some("http://evidence.example".into()),
            note: String::new(),
        };
        let e = r.validate("2027-04-30").expect_err("three problems");
        for f in ["quantity", "delivered_on", "evidence_link"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        let ok = DeliveryReport {
            quantity: 16.0,
            delivered_on: "2027-04-30".into(),
            evidence_link: Some("https://evidence.example/timesheet.pdf".into()),
            note: "Two staff, one day".into(),
        };
        ok.validate("2027-04-30").expect("delivered today is fine");
    }

    #[test]
    fn a_query_needs_a_note_and_states_move_as_documented() {
        assert!(check_pledge_review(PledgeReview::Query, " ").is_err());
        check_pledge_review(PledgeReview::Confirm, "").expect("confirming needs no note");
        assert_eq!(PledgeReview::Query.status(), PledgeStatus::Queried);
        assert!(PledgeStatus::Pledged.can_report() && !PledgeStatus::Pledged.reviewable());
        assert!(PledgeStatus::Reported.reviewable());
        assert!(!PledgeStatus::Confirmed.can_report() && !PledgeStatus::Confirmed.reviewable());
        assert!(PledgeStatus::Queried.can_report() && !PledgeStatus::Queried.reviewable());
        for s in [
            PledgeStatus::Pledged,
            PledgeStatus::Reported,
            PledgeStatus::Confirmed,
            PledgeStatus::Queried,
        ] {
            assert_eq!(PledgeStatus::parse(s.id()), Some(s));
        }
    }

    #[test]
    fn only_confirmed_delivery_counts() {
        let figure = |pledged, status, delivered| PledgeFigure {
            pledged,
            status,
            delivered,
        };
        let p = need_progress(&[
            figure(Some(100.0), PledgeStatus::Confirmed, Some(80.0)),
            figure(Some(50.0), PledgeStatus::Reported, Some(50.0)),
            figure(None, PledgeStatus::Queried, Some(10.0)),
            figure(Some(20.0), PledgeStatus::Pledged, None),
        ]);
        assert_eq!(p.pledges, 4);
        assert_eq!(p.pledged, 170.0);
        assert_eq!(p.confirmed, 80.0);
        assert_eq!(p.unconfirmed, 60.0);
    }
}
