//! A contract's social value report as an A4 PDF, laid out by typst with the same engine and
//! fonts as the project reports (`templates/contract.typ`). The caller formats every figure;
//! the template receives them only as JSON values, so user text cannot become markup.

use serde::Serialize;

/// One KPI row, already formatted.
#[derive(Debug, Clone, Serialize)]
pub struct KpiLine {
    /// `K1`.
    pub id: String,
    /// What is delivered.
    pub description: String,
    /// `MAC 2.2`.
    pub criterion: String,
    /// Theme or mission.
    pub theme: String,
    /// Reporting frequency in words.
    pub frequency: String,
    /// Committed, with unit.
    pub committed: String,
    /// Reported and not rejected, with unit.
    pub reported: String,
    /// Verified, with unit.
    pub verified: String,
    /// Verified share of the target.
    pub share: String,
}

/// One theme row.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeLine {
    /// Theme or mission.
    pub group: String,
    /// KPIs.
    pub kpis: String,
    /// KPIs met.
    pub met: String,
    /// Mean verified share.
    pub share: String,
}

/// One milestone row.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneLine {
    /// KPI id.
    pub kpi: String,
    /// Due date.
    pub due: String,
    /// What it marks.
    pub description: String,
    /// Cumulative target.
    pub target: String,
    /// Verified by the due date.
    pub verified: String,
    /// Met, late or due, in words.
    pub state: String,
}

/// One spend share row.
#[derive(Debug, Clone, Serialize)]
pub struct SpendLine {
    /// What the share is of.
    pub label: String,
    /// Amount.
    pub amount: String,
    /// Share of the total.
    pub share: String,
}

/// Everything the contract report shows, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct ContractReport {
    /// Contract title.
    pub title: String,
    /// Buyer's name.
    pub buyer: String,
    /// Supplier's name.
    pub supplier: String,
    /// Award date.
    pub awarded_on: String,
    /// Contract value.
    pub contract_value: String,
    /// Social Value Model edition title.
    pub edition: String,
    /// One sentence: KPIs met, verified shares.
    pub headline: String,
    /// KPI rows.
    pub kpis: Vec<KpiLine>,
    /// Theme rows.
    pub themes: Vec<ThemeLine>,
    /// Milestone rows.
    pub milestones: Vec<MilestoneLine>,
    /// One sentence on the claims (how many awaiting, verified, queried, rejected).
    pub claims_line: String,
    /// Possible double counting, in words.
    pub duplicates: Vec<String>,
    /// Spend share rows.
    pub spend: Vec<SpendLine>,
    /// Sources and licences.
    pub sources: Vec<String>,
    /// The date the file was made.
    pub generated_on: String,
    /// Footer text (before the page number).
    pub footer: String,
}

const TEMPLATE: &str = include_str!("../templates/contract.typ");

/// The contract report as an A4 PDF.
pub fn contract_pdf(report: &ContractReport) -> Result<Vec<u8>, crate::ReportError> {
    let data = serde_json::to_vec(report)?;
    crate::pdf_export::render(TEMPLATE, "/contract.typ", data)
}
