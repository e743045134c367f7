//! Contract pages for people: the portfolio of the caller's contracts, a contract's dashboard
//! (KPIs committed vs reported vs verified, by theme, place and quarter, milestones, possible
//! double counting, the claims), a claim with its evidence, and the forms by which the supplier
//! reports and amends delivery and the buyer verifies, queries or rejects it.
//!
//! Handlers are thin: they check access through [`crate::procurement::access`] exactly as the JSON API
//! does (404 for a contract the caller is not a member of, 403 for the wrong side or role, 409
//! for a claim already verified or rejected, 422 with the form shown again and a GOV.UK error
//! summary for bad input) and call the same store functions. Only verified delivery counts as
//! delivered.

pub mod chart;
pub mod claims;
pub mod dashboard;
pub mod forms;
pub mod list;

use std::collections::BTreeSet;

use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::delivery::{ClaimStatus, DeliverySummary, Kpi};
use svatlas_store::procurement::{ClaimEvidence, ClaimRecord, ContractRecord};
use uuid::Uuid;

pub use crate::procurement::delivery::met;

use crate::platform::auth::Caller;
use crate::platform::download::{Cell, DataTable, Source};
use crate::platform::format::number;
use crate::procurement::access::ContractSide;
use crate::state::AppState;

/// What the plain words "only verified delivery counts" mean, said once for every page and
/// download.
pub const VERIFIED_NOTE: &str = "Only verified delivery counts as delivered: a claim counts \
     once the buyer has checked its evidence and verified it.";

/// What "reported" means in the figures.
pub const REPORTED_NOTE: &str = "Reported is what the supplier has claimed and the buyer has \
     not rejected: claims awaiting review, queried or verified.";

/// A quantity as people read it: whole numbers without decimals, others to 2 places, with
/// thousands separators.
pub fn quantity(v: f64) -> String {
    if v.fract() == 0.0 {
        number(Some(v), 0)
    } else {
        let s = number(Some(v), 2);
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// A share as a whole percentage: `33%`.
pub fn percent(share: f64) -> String {
    format!("{}%", number(Some(share * 100.0), 0))
}

/// The side in words, and whether it is the buyer.
pub const fn side_words(side: ContractSide) -> &'static str {
    match side {
        ContractSide::Buyer(_) => "Buyer",
        ContractSide::Supplier(_) => "Supplier",
    }
}

/// What the caller may do here, in one sentence.
pub fn role_sentence(side: ContractSide) -> String {
    match side {
        ContractSide::Buyer(r) if r.at_least(Role::Editor) => format!(
            "You are {} in the buyer organisation: you can verify, query or reject the \
             supplier's claims.",
            with_article(r)
        ),
        ContractSide::Buyer(r) => format!(
            "You are {} in the buyer organisation: you can read this contract; editors and \
             admins review the claims.",
            with_article(r)
        ),
        ContractSide::Supplier(r) if r.at_least(Role::Editor) => format!(
            "You are {} in the supplier organisation: you can report delivery and add evidence.",
            with_article(r)
        ),
        ContractSide::Supplier(r) => format!(
            "You are {} in the supplier organisation: you can read this contract; editors and \
             admins report delivery.",
            with_article(r)
        ),
    }
}

fn with_article(role: Role) -> String {
    let word = role.to_string();
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {word}")
    } else {
        format!("a {word}")
    }
}

/// A claim's status as a tag: words first, colour second.
pub struct StatusTag {
    pub label: &'static str,
    pub class: &'static str,
}

/// The tag of a claim status.
pub const fn status_tag(status: ClaimStatus) -> StatusTag {
    StatusTag {
        label: status.label(),
        class: match status {
            ClaimStatus::Reported => "govuk-tag--blue",
            ClaimStatus::Verified => "govuk-tag--green",
            ClaimStatus::Queried => "govuk-tag--yellow",
            ClaimStatus::Rejected => "govuk-tag--red",
        },
    }
}

/// One KPI with its figures, as the dashboard's table shows it.
pub struct KpiRow {
    pub id: String,
    pub criterion: String,
    pub theme: String,
    pub description: String,
    pub unit: String,
    pub committed: String,
    pub reported: String,
    pub verified: String,
    pub share: String,
    pub met: bool,
    pub frequency: &'static str,
    pub evidence_required: String,
    pub dates: String,
    pub area: Option<String>,
    pub partners: String,
}

/// The KPI rows of a summary.
pub fn kpi_rows(kpis: &[Kpi], summary: &DeliverySummary) -> Vec<KpiRow> {
    kpis.iter()
        .zip(&summary.kpis)
        .map(|(k, p)| KpiRow {
            id: k.id.clone(),
            criterion: k.criterion.clone(),
            theme: k.theme.clone(),
            description: k.description.clone(),
            unit: k.unit.clone(),
            committed: quantity(p.progress.committed),
            reported: quantity(p.progress.reported),
            verified: quantity(p.progress.verified),
            share: percent(p.verified_share),
            met: met(p.progress.verified, p.progress.committed),
            frequency: k.frequency.label(),
            evidence_required: k.evidence_required.clone(),
            dates: match (&k.start_date, &k.end_date) {
                (Some(a), Some(b)) => format!("{a} to {b}"),
                (Some(a), None) => format!("From {a}"),
                (None, Some(b)) => format!("By {b}"),
                (None, None) => "Over the contract".into(),
            },
            area: k.area.clone(),
            partners: k.partners.join(", "),
        })
        .collect()
}

/// The KPI table as a download: the same figures with their meaning.
pub fn kpi_table(contract: &ContractRecord, summary: &DeliverySummary, today: &str) -> DataTable {
    let mut table = DataTable::new(
        format!(
            "KPIs of {}: committed, reported and verified",
            contract.title
        ),
        &format!("contract-{}-kpis", contract.id),
        &[
            "KPI",
            "Criterion",
            "Theme or mission",
            "What is delivered",
            "Unit",
            "Area",
            "Committed (target)",
            "Reported (not rejected)",
            "Verified",
            "Verified share of target (%)",
            "Target met",
        ],
    );
    for (k, p) in contract.kpis.iter().zip(&summary.kpis) {
        table.rows.push(vec![
            k.id.clone().into(),
            k.criterion.clone().into(),
            k.theme.clone().into(),
            k.description.clone().into(),
            k.unit.clone().into(),
            k.area.clone().map_or(Cell::Missing, Cell::from),
            p.progress.committed.into(),
            p.progress.reported.into(),
            p.progress.verified.into(),
            (p.verified_share * 100.0).into(),
            if met(p.progress.verified, p.progress.committed) {
                "yes"
            } else {
                "no"
            }
            .into(),
        ]);
    }
    table.sources = vec![contract_source(contract, today)];
    table.notes = vec![VERIFIED_NOTE.into(), REPORTED_NOTE.into()];
    table
}

/// Where a contract's figures come from: its own claims, not an open dataset.
pub fn contract_source(contract: &ContractRecord, today: &str) -> Source {
    Source {
        id: format!("contract-{}", contract.id),
        name: format!("Delivery claims on the contract {}", contract.title),
        publisher: format!(
            "{} (reported) and {} (reviewed), in sv-atlas",
            contract.supplier_name, contract.buyer_name
        ),
        edition: format!("as at {today}"),
        licence: "Not published: shared between the buyer and the supplier".into(),
        attribution:
            "Figures from the KPIs of the winning bid and the claims reported against them.".into(),
        url: None,
    }
}

/// One claim in a list.
pub struct ClaimRow {
    pub id: Uuid,
    pub kpi_id: String,
    pub period: String,
    pub quantity: String,
    pub status: StatusTag,
    pub reported_by: String,
    pub created: String,
    pub evidence: String,
    pub beneficiary_ref: String,
}

/// The claim rows, oldest first, with how much evidence each carries.
pub fn claim_rows(kpis: &[Kpi], claims: &[ClaimRecord], files: &[ClaimEvidence]) -> Vec<ClaimRow> {
    claims
        .iter()
        .map(|c| {
            let unit = kpis
                .iter()
                .find(|k| k.id == c.details.kpi_id)
                .map(|k| k.unit.as_str())
                .unwrap_or("");
            let n_files = files.iter().filter(|f| f.claim_id == c.id).count();
            let n_links = c.details.links.len();
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            ClaimRow {
                id: c.id,
                kpi_id: c.details.kpi_id.clone(),
                period: format!("{} to {}", c.details.period_start, c.details.period_end),
                quantity: format!("{} {unit}", quantity(c.details.quantity))
                    .trim()
                    .to_owned(),
                status: status_tag(c.status),
                reported_by: c.created_by.clone().unwrap_or_default(),
                created: crate::platform::views::when(&c.created_at),
                evidence: if n_files + n_links == 0 {
                    "None yet".into()
                } else {
                    format!(
                        "{}, {}",
                        plural(n_files, "file", "files"),
                        plural(n_links, "link", "links")
                    )
                },
                beneficiary_ref: c.details.beneficiary_ref.clone().unwrap_or_default(),
            }
        })
        .collect()
}

/// The ids of the contracts the caller is a member of (buyer or supplier), so links to other
/// contracts are shown only where they lead somewhere.
pub async fn visible_contracts(
    state: &AppState,
    caller: &Caller,
) -> Result<BTreeSet<Uuid>, crate::platform::error::AppError> {
    let orgs: Vec<Uuid> = caller
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    Ok(state
        .store()
        .contracts_of(&orgs)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}
