//! After award: the winning bid's commitments become contract KPIs, the supplier reports
//! delivery against them per period, and the buyer verifies, queries or rejects each claim.
//! Only verified delivery counts as delivered (SOCIAL_VALUE_MODEL.md §4.7).
//!
//! Also here: progress by KPI, theme, place and period, milestones due and late, and the
//! double-counting guard (one pseudonymous beneficiary claimed more than once).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bid::{Commitment, Milestone};
use super::model::{Catalogue, Edition};
use super::tender::num;
use crate::calculator::entries::{check_date, check_note, check_optional, finish, is_iso_date};
use crate::sroi::{FieldError, ValidationErrors};

/// Longest note on a claim or a review, in characters.
pub const NOTE_MAX_CHARS: usize = 5_000;
/// Most evidence links on one claim.
pub const MAX_LINKS: usize = 20;

/// How often delivery is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every month.
    Monthly,
    /// Every quarter (the default).
    Quarterly,
    /// Every six months.
    SixMonthly,
    /// Every year.
    Annually,
}

impl Frequency {
    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Monthly => "Monthly",
            Self::Quarterly => "Quarterly",
            Self::SixMonthly => "Every six months",
            Self::Annually => "Annually",
        }
    }
}

/// A contract KPI: a commitment the supplier must now deliver and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kpi {
    /// Id within the contract: `K1`, `K2`, ...
    pub id: String,
    /// The model award criterion (`MAC 2.2`).
    pub criterion: String,
    /// The theme (2020) or mission (2025) the criterion sits under.
    pub theme: String,
    /// The reporting metric, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_id: Option<String>,
    /// What is delivered.
    pub description: String,
    /// Target quantity over the contract.
    pub target: f64,
    /// Unit of the target.
    pub unit: String,
    /// How often delivery is reported.
    pub frequency: Frequency,
    /// What evidence a claim needs.
    pub evidence_required: String,
    /// From, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// By, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Where, if in one place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Dated cumulative targets.
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// Delivery partners.
    #[serde(default)]
    pub partners: Vec<String>,
}

/// What a KPI's evidence must show by default, from its unit.
fn default_evidence(unit: &str) -> String {
    format!(
        "A record of each {unit} delivered in the period (names kept by the supplier; a \
         pseudonymous reference per person), with dates and places"
    )
}

/// The KPIs a winning bid's commitments become, numbered `K1`, `K2`, ... in order.
pub fn kpis_from_commitments(edition: Edition, commitments: &[Commitment]) -> Vec<Kpi> {
    let catalogue = Catalogue::shipped().edition(edition);
    commitments
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let theme = catalogue
                .themes
                .iter()
                .find(|t| {
                    t.outcomes
                        .iter()
                        .flat_map(|o| o.macs.iter())
                        .any(|m| m.id.eq_ignore_ascii_case(&c.criterion))
                })
                .map(|t| t.name.clone())
                .unwrap_or_default();
            Kpi {
                id: format!("K{}", i + 1),
                criterion: c.criterion.clone(),
                theme,
                metric_id: c.metric_id.clone(),
                description: c.description.clone(),
                target: c.target,
                unit: c.unit.clone(),
                frequency: Frequency::Quarterly,
                evidence_required: default_evidence(&c.unit),
                start_date: c.start_date.clone(),
                end_date: c.end_date.clone(),
                area: c.area.clone(),
                milestones: c.milestones.clone(),
                partners: c.partners.clone(),
            }
        })
        .collect()
}

/// A delivery claim as the supplier enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimDetails {
    /// The KPI delivered against (`K1`).
    pub kpi_id: String,
    /// First day of the period, `YYYY-MM-DD`.
    pub period_start: String,
    /// Last day of the period, `YYYY-MM-DD`.
    pub period_end: String,
    /// Quantity delivered in the period, in the KPI's unit.
    pub quantity: f64,
    /// What was done.
    #[serde(default)]
    pub note: String,
    /// Links to evidence held elsewhere (https only).
    #[serde(default)]
    pub links: Vec<String>,
    /// A pseudonymous reference of the person or activity (never a name), used to flag the
    /// same beneficiary claimed twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficiary_ref: Option<String>,
}

impl ClaimDetails {
    /// Checks the claim against its contract's KPIs.
    pub fn validate(&self, kpis: &[Kpi]) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        if !kpis.iter().any(|k| k.id == self.kpi_id) {
            errors.push(FieldError::new(
                "unknown",
                "kpi_id",
                format!("the contract has no KPI {:?}", self.kpi_id),
            ));
        }
        for (field, date) in [
            ("period_start", &self.period_start),
            ("period_end", &self.period_end),
        ] {
            check_date(&mut errors, field, Some(date));
        }
        if is_iso_date(&self.period_start)
            && is_iso_date(&self.period_end)
            && self.period_end < self.period_start
        {
            errors.push(FieldError::new(
                "out_of_range",
                "period_end",
                "the period cannot end before it starts",
            ));
        }
        if !(self.quantity.is_finite() && self.quantity > 0.0 && self.quantity <= 1e12) {
            errors.push(FieldError::new(
                "out_of_range",
                "quantity",
                "the quantity delivered must be more than 0",
            ));
        }
        check_optional(&mut errors, "note", &self.note, NOTE_MAX_CHARS);
        if self.links.len() > MAX_LINKS {
            errors.push(FieldError::new(
                "too_many",
                "links",
                format!("at most {MAX_LINKS} links"),
            ));
        }
        for (i, l) in self.links.iter().enumerate() {
            if !l.starts_with("https://") || l.len() > 2000 || l.chars().any(char::is_whitespace) {
                errors.push(FieldError::new(
                    "invalid",
                    format!("links[{i}]"),
                    "an evidence link is a web address starting https://",
                ));
            }
        }
        if let Some(r) = &self.beneficiary_ref {
            check_optional(&mut errors, "beneficiary_ref", r, 100);
            if r.contains('@') || r.split_whitespace().count() > 1 {
                errors.push(FieldError::new(
                    "invalid",
                    "beneficiary_ref",
                    "use a pseudonymous reference (one word, e.g. P-0042), never a name or e-mail address",
                ));
            }
        }
        finish(errors)
    }
}

/// Where a claim is in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Reported by the supplier, awaiting the buyer.
    Reported,
    /// Checked by the buyer: counts as delivered.
    Verified,
    /// The buyer asked a question; the supplier may amend and report again.
    Queried,
    /// Not accepted.
    Rejected,
}

impl ClaimStatus {
    /// Id as stored.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::Verified => "verified",
            Self::Queried => "queried",
            Self::Rejected => "rejected",
        }
    }

    /// Parses the id.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Reported,
            Self::Verified,
            Self::Queried,
            Self::Rejected,
        ]
        .into_iter()
        .find(|s| s.id() == text)
    }

    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Reported => "Awaiting review",
            Self::Verified => "Verified",
            Self::Queried => "Queried",
            Self::Rejected => "Rejected",
        }
    }

    /// Whether the buyer may review a claim in this state (reported, or queried and not yet
    /// answered).
    pub const fn reviewable(self) -> bool {
        matches!(self, Self::Reported | Self::Queried)
    }

    /// Whether the supplier may still amend it.
    pub const fn amendable(self) -> bool {
        matches!(self, Self::Reported | Self::Queried)
    }
}

/// A buyer's decision on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Accept: counts as delivered.
    Verify,
    /// Ask a question.
    Query,
    /// Refuse.
    Reject,
}

impl Review {
    /// The status a claim takes.
    pub const fn status(self) -> ClaimStatus {
        match self {
            Self::Verify => ClaimStatus::Verified,
            Self::Query => ClaimStatus::Queried,
            Self::Reject => ClaimStatus::Rejected,
        }
    }

    /// Queries and rejections must say why.
    pub const fn needs_note(self) -> bool {
        !matches!(self, Self::Verify)
    }
}

/// A claim as the progress figures need it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimFigure<'a> {
    /// The KPI.
    pub kpi_id: &'a str,
    /// Period start, `YYYY-MM-DD`.
    pub period_start: &'a str,
    /// Period end, `YYYY-MM-DD`.
    pub period_end: &'a str,
    /// Quantity.
    pub quantity: f64,
    /// Review state.
    pub status: ClaimStatus,
}

/// Committed, reported and verified quantities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    /// The target.
    pub committed: f64,
    /// Reported and not rejected (awaiting, queried or verified).
    pub reported: f64,
    /// Verified by the buyer.
    pub verified: f64,
}

impl Progress {
    fn add_claim(&mut self, c: &ClaimFigure<'_>) {
        if c.status != ClaimStatus::Rejected {
            self.reported += c.quantity;
        }
        if c.status == ClaimStatus::Verified {
            self.verified += c.quantity;
        }
    }

    /// Verified as a share of the target (0 when there is no target).
    pub fn verified_share(&self) -> f64 {
        if self.committed > 0.0 {
            self.verified / self.committed
        } else {
            0.0
        }
    }
}

/// One KPI's progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiProgress {
    /// KPI id.
    pub kpi_id: String,
    /// Its unit.
    pub unit: String,
    /// Figures.
    #[serde(flatten)]
    pub progress: Progress,
    /// Verified ÷ committed.
    pub verified_share: f64,
}

/// A milestone with how it stands on a given day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MilestoneStatus {
    /// KPI id.
    pub kpi_id: String,
    /// Due date.
    pub due: String,
    /// Cumulative target by then.
    pub target: f64,
    /// What it marks.
    pub description: String,
    /// Verified in periods ending on or before the due date.
    pub verified_by_due: f64,
    /// `met`, `late` (past due, not met) or `due` (still to come).
    pub state: String,
}

/// Progress of a contract's KPIs, summed by KPI, theme, place and period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliverySummary {
    /// Per KPI, in order.
    pub kpis: Vec<KpiProgress>,
    /// Per theme or mission (units differ, so these count KPIs, not quantities).
    pub by_theme: Vec<GroupCount>,
    /// Per area code (`unassigned` where a KPI names none).
    pub by_area: Vec<GroupCount>,
    /// Reported and verified quantity per KPI and calendar quarter of the period end.
    pub by_period: Vec<PeriodProgress>,
    /// Every milestone, with its state on the day asked.
    pub milestones: Vec<MilestoneStatus>,
}

/// KPIs of one group and how many are fully verified.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupCount {
    /// Theme name or area code.
    pub group: String,
    /// KPIs in it.
    pub kpis: usize,
    /// KPIs whose verified quantity reached the target.
    pub kpis_met: usize,
    /// Mean verified share over its KPIs (each capped at 100%).
    pub mean_verified_share: f64,
}

/// One KPI's delivery in one quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodProgress {
    /// KPI id.
    pub kpi_id: String,
    /// `2027-Q2`, from the period's end date.
    pub quarter: String,
    /// Reported, not rejected.
    pub reported: f64,
    /// Verified.
    pub verified: f64,
}

/// The calendar quarter of a `YYYY-MM-DD` date: `2027-Q2`.
pub fn quarter_of(date: &str) -> String {
    let month: u32 = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{}-Q{}", date.get(..4).unwrap_or("????"), month.div_ceil(3))
}

/// Works out a contract's progress on `today` (`YYYY-MM-DD`, for milestone states).
pub fn summarise(kpis: &[Kpi], claims: &[ClaimFigure<'_>], today: &str) -> DeliverySummary {
    let mut rows = Vec::new();
    let mut periods: BTreeMap<(usize, String), (f64, f64)> = BTreeMap::new();
    let mut milestones = Vec::new();
    // Claims grouped by KPI once, so the work grows with claims + KPIs, not their product.
    let mut by_kpi: BTreeMap<&str, Vec<&ClaimFigure<'_>>> = BTreeMap::new();
    for c in claims {
        by_kpi.entry(c.kpi_id).or_default().push(c);
    }
    for (i, k) in kpis.iter().enumerate() {
        let mut p = Progress {
            committed: k.target,
            ..Progress::default()
        };
        let mine = by_kpi.get(k.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        for c in mine.iter().copied() {
            p.add_claim(c);
            let slot = periods
                .entry((i, quarter_of(c.period_end)))
                .or_insert((0.0, 0.0));
            if c.status != ClaimStatus::Rejected {
                slot.0 += c.quantity;
            }
            if c.status == ClaimStatus::Verified {
                slot.1 += c.quantity;
            }
        }
        for m in &k.milestones {
            let verified_by_due: f64 = mine
                .iter()
                .filter(|c| c.status == ClaimStatus::Verified && c.period_end <= &*m.due)
                .map(|c| c.quantity)
                // An empty f64 sum is -0.0; add 0.0 so nothing prints as "-0".
                .sum::<f64>()
                + 0.0;
            let state = if verified_by_due + 1e-9 >= m.target {
                "met"
            } else if m.due.as_str() < today {
                "late"
            } else {
                "due"
            };
            milestones.push(MilestoneStatus {
                kpi_id: k.id.clone(),
                due: m.due.clone(),
                target: m.target,
                description: m.description.clone(),
                verified_by_due,
                state: state.into(),
            });
        }
        rows.push(KpiProgress {
            kpi_id: k.id.clone(),
            unit: k.unit.clone(),
            verified_share: p.verified_share(),
            progress: p,
        });
    }
    milestones.sort_by(|a, b| a.due.cmp(&b.due).then(a.kpi_id.cmp(&b.kpi_id)));
    let group = |key: &dyn Fn(&Kpi) -> String| -> Vec<GroupCount> {
        let mut groups: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
        for (k, r) in kpis.iter().zip(&rows) {
            let g = groups.entry(key(k)).or_default();
            g.0 += 1;
            if r.progress.verified + 1e-9 >= r.progress.committed {
                g.1 += 1;
            }
            g.2 += r.verified_share.min(1.0);
        }
        groups
            .into_iter()
            .map(|(group, (n, met, share))| GroupCount {
                group,
                kpis: n,
                kpis_met: met,
                mean_verified_share: share / n as f64,
            })
            .collect()
    };
    let by_theme = group(&|k: &Kpi| k.theme.clone());
    let by_area = group(&|k: &Kpi| k.area.clone().unwrap_or_else(|| "unassigned".into()));
    DeliverySummary {
        by_period: periods
            .into_iter()
            .map(|((i, quarter), (reported, verified))| PeriodProgress {
                kpi_id: kpis[i].id.clone(),
                quarter,
                reported,
                verified,
            })
            .collect(),
        kpis: rows,
        by_theme,
        by_area,
        milestones,
    }
}

/// A claim as the double-counting guard needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct BeneficiaryClaim {
    /// Contract id (any text).
    pub contract: String,
    /// KPI id.
    pub kpi_id: String,
    /// Claim id (any text).
    pub claim: String,
    /// The claim's pseudonymous reference.
    pub beneficiary_ref: String,
}

/// One beneficiary reference claimed more than once.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateBeneficiary {
    /// The reference, as normalised (trimmed, upper case).
    pub beneficiary_ref: String,
    /// `kpis` (one contract, several KPIs), `contracts` (several contracts) or `repeated`
    /// (the same KPI claimed again, e.g. in another period).
    pub kind: String,
    /// The claims involved: contract, KPI and claim ids.
    pub claims: Vec<(String, String, String)>,
}

/// Beneficiary references that appear on more than one claim, most claims first. The same
/// person counted under several KPIs or contracts may be genuine (a job and an apprenticeship)
/// but must be looked at: this flags, it does not refuse.
pub fn duplicate_beneficiaries(claims: &[BeneficiaryClaim]) -> Vec<DuplicateBeneficiary> {
    let mut groups: BTreeMap<String, Vec<&BeneficiaryClaim>> = BTreeMap::new();
    for c in claims {
        let key = c.beneficiary_ref.trim().to_uppercase();
        if !key.is_empty() {
            groups.entry(key).or_default().push(c);
        }
    }
    let mut out: Vec<DuplicateBeneficiary> = groups
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(r, v)| {
            let contracts: std::collections::BTreeSet<&str> =
                v.iter().map(|c| c.contract.as_str()).collect();
            let kpis: std::collections::BTreeSet<(&str, &str)> = v
                .iter()
                .map(|c| (c.contract.as_str(), c.kpi_id.as_str()))
                .collect();
            let kind = if contracts.len() > 1 {
                "contracts"
            } else if kpis.len() > 1 {
                "kpis"
            } else {
                "repeated"
            };
            DuplicateBeneficiary {
                beneficiary_ref: r,
                kind: kind.into(),
                claims: v
                    .iter()
                    .map(|c| (c.contract.clone(), c.kpi_id.clone(), c.claim.clone()))
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.claims
            .len()
            .cmp(&a.claims.len())
            .then(a.beneficiary_ref.cmp(&b.beneficiary_ref))
    });
    out
}

/// A review note check: queries and rejections need one.
pub fn check_review(review: Review, note: &str) -> Result<(), ValidationErrors> {
    check_note(
        review.needs_note(),
        note,
        NOTE_MAX_CHARS,
        "say why the claim is queried or rejected, so the supplier can act on it",
    )
}

/// A quantity and unit for a message: `4 apprenticeships`.
pub fn quantity_words(q: f64, unit: &str) -> String {
    format!("{} {unit}", num(q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procurement::bid::tests::jobs;

    fn kpis() -> Vec<Kpi> {
        kpis_from_commitments(Edition::Svm2020, &[jobs()])
    }

    fn claim<'a>(end: &'a str, q: f64, status: ClaimStatus) -> ClaimFigure<'a> {
        ClaimFigure {
            kpi_id: "K1",
            period_start: "2027-04-01",
            period_end: end,
            quantity: q,
            status,
        }
    }

    #[test]
    fn commitments_become_kpis_with_theme_and_evidence() {
        let k = kpis();
        assert_eq!(k.len(), 1);
        assert_eq!(k[0].id, "K1");
        assert_eq!(k[0].criterion, "MAC 2.2");
        assert_eq!(k[0].theme, "Tackling economic inequality");
        assert_eq!(k[0].frequency, Frequency::Quarterly);
        assert!(k[0].evidence_required.contains("pseudonymous"));
        assert_eq!(k[0].milestones.len(), 2);
    }

    #[test]
    fn only_verified_delivery_counts_and_rejected_is_not_reported() {
        let k = kpis();
        let claims = [
            claim("2027-06-30", 1.0, ClaimStatus::Verified),
            claim("2027-09-30", 2.0, ClaimStatus::Reported),
            claim("2027-12-31", 5.0, ClaimStatus::Rejected),
            claim("2028-03-31", 1.0, ClaimStatus::Verified),
        ];
        let s = summarise(&k, &claims, "2028-06-01");
        let p = &s.kpis[0].progress;
        assert_eq!((p.committed, p.reported, p.verified), (6.0, 4.0, 2.0));
        assert!((s.kpis[0].verified_share - 2.0 / 6.0).abs() < 1e-12);
        // Milestone 1 (2 by 2028-03-31) is met by verified delivery; milestone 2 is still due.
        assert_eq!(s.milestones[0].state, "met");
        assert_eq!(s.milestones[0].verified_by_due, 2.0);
        assert_eq!(s.milestones[1].state, "due");
        let none = summarise(&k, &[], "2028-06-01");
        assert!(
            none.milestones[0].verified_by_due.is_sign_positive(),
            "no -0 to print"
        );
        let late = summarise(&k, &claims[..1], "2028-06-01");
        assert_eq!(late.milestones[0].state, "late");
        assert_eq!(s.by_theme[0].group, "Tackling economic inequality");
        assert_eq!(s.by_area[0].group, "E06000026");
        assert_eq!(
            s.by_period
                .iter()
                .map(|p| (p.quarter.as_str(), p.reported, p.verified))
                .collect::<Vec<_>>(),
            vec![
                ("2027-Q2", 1.0, 1.0),
                ("2027-Q3", 2.0, 0.0),
                ("2027-Q4", 0.0, 0.0),
                ("2028-Q1", 1.0, 1.0)
            ]
        );
    }

    #[test]
    fn claims_are_checked_against_the_kpis() {
        let k = kpis();
        let good = ClaimDetails {
            kpi_id: "K1".into(),
            period_start: "2027-04-01".into(),
            period_end: "2027-06-30".into(),
            quantity: 1.0,
            note: "One apprentice started".into(),
            links: vec!["https://example.org/register".into()],
            beneficiary_ref: Some("P-0042".into()),
        };
        good.validate(&k).expect("valid");
        let bad = ClaimDetails {
            kpi_id: "K9".into(),
            period_end: "2027-03-01".into(),
            quantity: 0.0,
            links: vec!["http://insecure".into()],
            beneficiary_ref: Some("Jane Smith".into()),
            ..good
        };
        let e = bad.validate(&k).unwrap_err();
        for f in [
            "kpi_id",
            "period_end",
            "quantity",
            "links[0]",
            "beneficiary_ref",
        ] {
            assert!(e.for_field(f).is_some(), "{f}: {e:?}");
        }
    }

    #[test]
    fn the_same_beneficiary_claimed_twice_is_flagged_with_its_kind() {
        let c = |contract: &str, kpi: &str, claim: &str, r: &str| BeneficiaryClaim {
            contract: contract.into(),
            kpi_id: kpi.into(),
            claim: claim.into(),
            beneficiary_ref: r.into(),
        };
        let found = duplicate_beneficiaries(&[
            c("C1", "K1", "a", "p-1"),
            c("C1", "K2", "b", " P-1 "),
            c("C2", "K1", "c", "P-2"),
            c("C3", "K1", "d", "p-2"),
            c("C1", "K1", "e", "P-3"),
            c("C1", "K1", "f", "P-3"),
            c("C1", "K1", "g", "P-4"),
        ]);
        let kinds: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (d.beneficiary_ref.as_str(), d.kind.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![("P-1", "kpis"), ("P-2", "contracts"), ("P-3", "repeated")]
        );
    }

    #[test]
    fn queries_and_rejections_say_why() {
        assert!(check_review(Review::Query, " ").is_err());
        assert!(check_review(Review::Reject, "").is_err());
        check_review(Review::Verify, "").expect("verify needs no note");
        assert_eq!(Review::Query.status(), ClaimStatus::Queried);
        assert!(ClaimStatus::Queried.reviewable());
        assert!(!ClaimStatus::Verified.amendable());
    }

    #[test]
    fn quarters() {
        assert_eq!(quarter_of("2027-06-30"), "2027-Q2");
        assert_eq!(quarter_of("2027-01-01"), "2027-Q1");
        assert_eq!(quarter_of("2027-12-31"), "2027-Q4");
    }
}
