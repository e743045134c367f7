//! The contract dashboard's tables as downloads:
//! `GET /contracts/{id}?table=<name>&format=csv|xlsx|json`. Each is built from the same
//! summary and rows the page shows, with unrounded numbers, units in their own column and
//! dates as `YYYY-MM-DD`; each carries the contract as its source and the notes that say what
//! its figures mean (only verified delivery counts).

use std::collections::BTreeSet;

use svatlas_domain::procurement::delivery::{DeliverySummary, GroupCount};
use svatlas_store::procurement::{ClaimEvidence, ClaimRecord, ContractRecord};
use uuid::Uuid;

use super::get::{DuplicateRow, duplicate_rows, group_rows, milestone_rows, period_rows, unit_of};
use super::{REPORTED_NOTE, VERIFIED_NOTE, claim_rows, contract_source, kpi_table};
use crate::platform::download::{Cell, DataTable, DownloadLinks};
use crate::platform::error::AppError;
use crate::procurement::access::today;
use crate::procurement::delivery::duplicates_for;
use crate::procurement::delivery::summary_of;
use crate::state::AppState;

/// One table of the contract dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractTable {
    /// KPIs: committed, reported and verified (`#kpi-table`).
    Kpis,
    /// By theme or mission (`#by-theme`).
    Themes,
    /// By place (`#by-place`).
    Places,
    /// By KPI and quarter (`#by-quarter`).
    Quarters,
    /// Milestones (`#milestone-table`).
    Milestones,
    /// Beneficiary references claimed more than once (`#duplicate-table`).
    Duplicates,
    /// The claims (`#claims-table`).
    Claims,
}

impl ContractTable {
    /// Every table, in the page's order.
    pub const ALL: [ContractTable; 7] = [
        ContractTable::Kpis,
        ContractTable::Themes,
        ContractTable::Places,
        ContractTable::Quarters,
        ContractTable::Milestones,
        ContractTable::Duplicates,
        ContractTable::Claims,
    ];

    /// Its name in the `table` query parameter.
    pub const fn name(self) -> &'static str {
        match self {
            ContractTable::Kpis => "kpis",
            ContractTable::Themes => "themes",
            ContractTable::Places => "places",
            ContractTable::Quarters => "quarters",
            ContractTable::Milestones => "milestones",
            ContractTable::Duplicates => "duplicates",
            ContractTable::Claims => "claims",
        }
    }

    /// Parses the `table` query parameter (absent or empty = the KPIs).
    pub fn parse(value: Option<&str>) -> Result<ContractTable, AppError> {
        let value = value.map(str::trim).unwrap_or("");
        if value.is_empty() {
            return Ok(ContractTable::Kpis);
        }
        ContractTable::ALL
            .into_iter()
            .find(|t| t.name() == value)
            .ok_or_else(|| {
                let names: Vec<&str> = ContractTable::ALL.iter().map(|t| t.name()).collect();
                AppError::invalid(
                    "invalid",
                    "table",
                    format!("table must be one of {}, not {value:?}", names.join(", ")),
                )
            })
    }

    /// The CSV, XLSX and JSON links of this table of the contract `id`.
    pub fn links(self, id: Uuid) -> DownloadLinks {
        DownloadLinks::new(
            &format!("/contracts/{id}"),
            &[("table", self.name().to_owned())],
        )
    }
}

/// Loads what the dashboard shows and builds one of its tables.
pub async fn contract_table(
    state: &AppState,
    contract: &ContractRecord,
    table: ContractTable,
) -> Result<DataTable, AppError> {
    let claims = state.store().claims_of_contract(contract.id).await?;
    let today = today();
    let summary = summary_of(&contract.kpis, &claims, &today);
    Ok(match table {
        ContractTable::Kpis => kpi_table(contract, &summary, &today),
        ContractTable::Themes => group_table(contract, &summary.by_theme, false, &today),
        ContractTable::Places => group_table(contract, &summary.by_area, true, &today),
        ContractTable::Quarters => quarter_table(contract, &summary, &today),
        ContractTable::Milestones => milestone_table(contract, &summary, &today),
        ContractTable::Duplicates => {
            // No links in a file: the claims' pages are for members to open.
            let rows = duplicate_rows(
                duplicates_for(state, contract).await?,
                contract.id,
                &BTreeSet::new(),
            );
            duplicate_table(contract, &rows, &today)
        }
        ContractTable::Claims => {
            let files = state.store().claim_evidence_of(contract.id).await?;
            claim_table(contract, &claims, &files, &today)
        }
    })
}

/// `contract-<first 8 of the id>-<table>`, as the contract report's file is named.
fn file_stem(contract: &ContractRecord, table: ContractTable) -> String {
    let id = contract.id.to_string();
    format!("contract-{}-{}", &id[..8], table.name())
}

/// A table of this contract with its source.
fn new_table(
    contract: &ContractRecord,
    table: ContractTable,
    what: &str,
    columns: &[&str],
    today: &str,
) -> DataTable {
    let mut t = DataTable::new(
        format!("{}: {what}", contract.title),
        &file_stem(contract, table),
        columns,
    );
    t.sources = vec![contract_source(contract, today)];
    t
}

const SHARE_NOTE: &str = "Average verified share: for each KPI, verified delivery as a share of \
     its target (counted up to 100%), averaged over the group's KPIs.";

const COUNT_NOTE: &str = "KPIs are measured in different units, so this counts KPIs rather than adding their quantities.";

/// The theme (`areas` false) or place (`areas` true) table: the page's rows, the share unrounded.
pub fn group_table(
    contract: &ContractRecord,
    groups: &[GroupCount],
    areas: bool,
    today: &str,
) -> DataTable {
    let (table, what, first) = if areas {
        (
            ContractTable::Places,
            "KPIs by place",
            "Area (code from the bid)",
        )
    } else {
        (
            ContractTable::Themes,
            "KPIs by theme or mission",
            "Theme or mission",
        )
    };
    let mut t = new_table(
        contract,
        table,
        what,
        &[
            first,
            "KPIs",
            "KPIs met",
            "Average verified share of target (%)",
        ],
        today,
    );
    for (g, row) in groups.iter().zip(group_rows(groups, areas)) {
        t.rows.push(vec![
            // The area code where there is one, else the page's words ("No single place").
            row.area.unwrap_or(row.group).into(),
            row.kpis.into(),
            row.kpis_met.into(),
            (g.mean_verified_share * 100.0).into(),
        ]);
    }
    t.notes = vec![VERIFIED_NOTE.into(), COUNT_NOTE.into(), SHARE_NOTE.into()];
    t
}

/// Delivery per KPI and quarter, unrounded.
pub fn quarter_table(
    contract: &ContractRecord,
    summary: &DeliverySummary,
    today: &str,
) -> DataTable {
    let mut t = new_table(
        contract,
        ContractTable::Quarters,
        "Delivery by KPI and quarter",
        &[
            "Quarter",
            "KPI",
            "Unit",
            "Reported (not rejected)",
            "Verified",
        ],
        today,
    );
    for (p, row) in summary.by_period.iter().zip(period_rows(contract, summary)) {
        t.rows.push(vec![
            row.quarter.into(),
            row.kpi_id.into(),
            row.unit.into(),
            p.reported.into(),
            p.verified.into(),
        ]);
    }
    t.notes = vec![
        VERIFIED_NOTE.into(),
        REPORTED_NOTE.into(),
        "Each claim counts in the calendar quarter its period ends in.".into(),
    ];
    t
}

/// The milestones with their state today, unrounded.
pub fn milestone_table(
    contract: &ContractRecord,
    summary: &DeliverySummary,
    today: &str,
) -> DataTable {
    let mut t = new_table(
        contract,
        ContractTable::Milestones,
        "Milestones",
        &[
            "Due",
            "KPI",
            "Milestone",
            "Unit",
            "Target by then",
            "Verified by then",
            "State",
            "Shortfall (late only)",
        ],
        today,
    );
    for (m, row) in summary
        .milestones
        .iter()
        .zip(milestone_rows(contract, summary))
    {
        let shortfall = if row.state == "Late" {
            Cell::from((m.target - m.verified_by_due).max(0.0))
        } else {
            Cell::Missing
        };
        t.rows.push(vec![
            row.due.into(),
            row.kpi_id.into(),
            row.description.into(),
            row.unit.into(),
            m.target.into(),
            m.verified_by_due.into(),
            row.state.into(),
            shortfall,
        ]);
    }
    t.notes = vec![
        VERIFIED_NOTE.into(),
        format!(
            "A milestone is a cumulative target by a date. It is met when delivery verified in \
             periods ending by that date reaches the target, late when the date has passed \
             without that, and due while the date is still to come (states as at {today})."
        ),
    ];
    t
}

/// The double-counting flags: what was found and which claims, as the page words them.
pub fn duplicate_table(contract: &ContractRecord, rows: &[DuplicateRow], today: &str) -> DataTable {
    let mut t = new_table(
        contract,
        ContractTable::Duplicates,
        "Beneficiary references claimed more than once",
        &["Reference", "What was found", "Number of claims", "Claims"],
        today,
    );
    for d in rows {
        let claims: Vec<&str> = d.claims.iter().map(|c| c.text.as_str()).collect();
        t.rows.push(vec![
            d.reference.clone().into(),
            d.kind.into(),
            d.claims.len().into(),
            claims.join("; ").into(),
        ]);
    }
    t.notes = vec![
        "This is a flag, not a refusal: one person can be genuinely counted under two KPIs (a \
         job and an apprenticeship, say). Rejected claims are left out."
            .into(),
        "References are the pseudonymous beneficiary references the supplier gave, trimmed and \
         in upper case; never a name."
            .into(),
    ];
    t
}

/// The claims, oldest first: figures and dates, without who reported them or any beneficiary
/// reference (the file is for sharing).
pub fn claim_table(
    contract: &ContractRecord,
    claims: &[ClaimRecord],
    files: &[ClaimEvidence],
    today: &str,
) -> DataTable {
    let mut t = new_table(
        contract,
        ContractTable::Claims,
        "Claims",
        &[
            "Claim",
            "KPI",
            "Period start",
            "Period end",
            "Quantity",
            "Unit",
            "Status",
            "Evidence files",
            "Evidence links",
            "Reported on",
            "Last reviewed on",
        ],
        today,
    );
    for (c, row) in claims.iter().zip(claim_rows(&contract.kpis, claims, files)) {
        t.rows.push(vec![
            row.id.to_string().into(),
            row.kpi_id.into(),
            c.details.period_start.clone().into(),
            c.details.period_end.clone().into(),
            c.details.quantity.into(),
            unit_of(contract, &c.details.kpi_id).into(),
            row.status.label.into(),
            files.iter().filter(|f| f.claim_id == c.id).count().into(),
            c.details.links.len().into(),
            c.created_at.format("%Y-%m-%d").to_string().into(),
            c.reviewed_at
                .map_or(Cell::Missing, |at| at.format("%Y-%m-%d").to_string().into()),
        ]);
    }
    t.notes = vec![
        VERIFIED_NOTE.into(),
        "Status: awaiting review (reported, not yet checked), queried (the buyer asked a \
         question), verified (checked by the buyer, counts as delivered) or rejected (not \
         counted)."
            .into(),
        "Who reported each claim and its beneficiary reference are left out of this file.".into(),
    ];
    t
}
