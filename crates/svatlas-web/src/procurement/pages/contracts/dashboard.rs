//! The contract dashboard and its tables as downloads.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeSet;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::delivery::{DeliverySummary, DuplicateBeneficiary, GroupCount};
use svatlas_store::procurement::{ClaimEvidence, ClaimRecord, ContractRecord};
use uuid::Uuid;

use super::chart::{KpiBar, kpi_chart};
use super::forms::{ClaimFields, ClaimForm};
use super::{
    ClaimRow, KpiRow, REPORTED_NOTE, VERIFIED_NOTE, claim_rows, contract_source, kpi_rows,
    kpi_table, met, percent, quantity, role_sentence, side_words, visible_contracts,
};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::download::{Cell, DataTable, DownloadLinks, Format};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageQuery;
use crate::platform::views::{FormErrors, Layout};
use crate::procurement::access::{ContractSide, contract_for, today};
use crate::procurement::delivery::{duplicates_for, summary_of};
use crate::state::AppState;

// `GET /contracts/{id}`: the contract dashboard for members of its buyer and supplier. KPIs
// committed vs reported vs verified (table and chart), by theme, place and quarter,
// milestones met, late or due, beneficiary references claimed more than once, the claims, and
// for the supplier's editors the form that reports delivery. `format=csv|xlsx|json` downloads
// one of its tables: the KPIs, or the one `table` names (see below).

/// The page's query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractPageQuery {
    /// `csv`, `xlsx` or `json` downloads a table of the page as a file (the one `table` names).
    pub format: Option<String>,
    /// Which table `format` downloads: `kpis` (the default), `themes`, `places`, `quarters`,
    /// `milestones`, `duplicates` or `claims`. Ignored without `format`.
    pub table: Option<String>,
}

/// A theme or place with its KPIs.
pub struct GroupRow {
    pub group: String,
    /// An area code to link to `/areas/{code}`.
    pub area: Option<String>,
    pub kpis: usize,
    pub kpis_met: usize,
    pub share: String,
}

/// One KPI in one quarter.
pub struct PeriodRow {
    pub kpi_id: String,
    pub quarter: String,
    pub unit: String,
    pub reported: String,
    pub verified: String,
}

/// A milestone and how it stands today.
pub struct MilestoneRow {
    pub kpi_id: String,
    pub due: String,
    pub description: String,
    pub target: String,
    pub verified_by_due: String,
    pub unit: String,
    /// `Met`, `Late` or `Due`.
    pub state: &'static str,
    pub class: &'static str,
    /// For late milestones: how much is missing, in words.
    pub shortfall: String,
}

/// One claim of a flagged reference.
pub struct DuplicateClaim {
    pub text: String,
    /// Link to the claim, when the caller can open it.
    pub href: Option<String>,
}

/// A beneficiary reference claimed more than once.
pub struct DuplicateRow {
    pub reference: String,
    pub kind: &'static str,
    pub claims: Vec<DuplicateClaim>,
}

/// The contract dashboard.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/contracts/contract.html")]
pub struct ContractPage {
    pub layout: Layout,
    pub contract_id: Uuid,
    pub tender_id: Uuid,
    pub title: String,
    pub buyer: String,
    pub supplier: String,
    pub side: &'static str,
    pub role_sentence: String,
    pub awarded: String,
    pub today: String,
    pub kpis: Vec<KpiRow>,
    pub kpis_met: usize,
    pub chart: String,
    pub by_theme: Vec<GroupRow>,
    pub by_area: Vec<GroupRow>,
    pub by_period: Vec<PeriodRow>,
    pub milestones: Vec<MilestoneRow>,
    pub late: usize,
    pub duplicates: Vec<DuplicateRow>,
    pub claims: Vec<ClaimRow>,
    pub awaiting: usize,
    pub can_report: bool,
    pub kpi_options: Vec<(String, String)>,
    pub fields: ClaimFields,
    pub errors: FormErrors,
    /// The KPI table's downloads.
    pub downloads: DownloadLinks,
    pub downloads_themes: DownloadLinks,
    pub downloads_places: DownloadLinks,
    pub downloads_quarters: DownloadLinks,
    pub downloads_milestones: DownloadLinks,
    pub downloads_duplicates: DownloadLinks,
    pub downloads_claims: DownloadLinks,
    /// Whether to link the contract report PDF ([`crate::platform::PDF_AVAILABLE`]).
    pub pdf_available: bool,
}

/// The KPI select's options: (id, "K1: description (unit)").
pub fn kpi_options(contract: &ContractRecord) -> Vec<(String, String)> {
    contract
        .kpis
        .iter()
        .map(|k| {
            (
                k.id.clone(),
                format!("{}: {} ({})", k.id, k.description, k.unit),
            )
        })
        .collect()
}

const fn kind_words(kind: &str) -> &'static str {
    match kind.as_bytes() {
        b"repeated" => "The same KPI claimed again for this reference",
        b"kpis" => "Claimed under several KPIs of this contract",
        _ => "Claimed on several contracts",
    }
}

/// A theme's or place's name as the page shows it.
pub fn group_label(group: &str) -> String {
    if group == "unassigned" {
        "No single place".into()
    } else if group.is_empty() {
        "Not in the model catalogue".into()
    } else {
        group.to_owned()
    }
}

/// The rows of the theme (`areas` false) or place (`areas` true) table.
pub fn group_rows(groups: &[GroupCount], areas: bool) -> Vec<GroupRow> {
    groups
        .iter()
        .map(|g| GroupRow {
            area: (areas && g.group != "unassigned").then(|| g.group.clone()),
            group: group_label(&g.group),
            kpis: g.kpis,
            kpis_met: g.kpis_met,
            share: percent(g.mean_verified_share),
        })
        .collect()
}

/// The unit of a KPI of the contract (empty for an unknown one).
pub fn unit_of(contract: &ContractRecord, kpi: &str) -> String {
    contract
        .kpis
        .iter()
        .find(|k| k.id == kpi)
        .map(|k| k.unit.clone())
        .unwrap_or_default()
}

/// The rows of the quarter table, in the summary's order.
pub fn period_rows(contract: &ContractRecord, summary: &DeliverySummary) -> Vec<PeriodRow> {
    summary
        .by_period
        .iter()
        .map(|p| PeriodRow {
            kpi_id: p.kpi_id.clone(),
            quarter: p.quarter.clone(),
            unit: unit_of(contract, &p.kpi_id),
            reported: quantity(p.reported),
            verified: quantity(p.verified),
        })
        .collect()
}

/// The rows of the milestone table, in the summary's order.
pub fn milestone_rows(contract: &ContractRecord, summary: &DeliverySummary) -> Vec<MilestoneRow> {
    summary
        .milestones
        .iter()
        .map(|m| {
            let unit = unit_of(contract, &m.kpi_id);
            let (state, class) = match m.state.as_str() {
                "met" => ("Met", "govuk-tag--green"),
                "late" => ("Late", "govuk-tag--red"),
                _ => ("Due", "govuk-tag--grey"),
            };
            MilestoneRow {
                shortfall: if state == "Late" {
                    format!(
                        "{} {unit} short of the target on {}",
                        quantity((m.target - m.verified_by_due).max(0.0)),
                        m.due
                    )
                } else {
                    String::new()
                },
                kpi_id: m.kpi_id.clone(),
                due: m.due.clone(),
                description: m.description.clone(),
                target: quantity(m.target),
                verified_by_due: quantity(m.verified_by_due),
                unit,
                state,
                class,
            }
        })
        .collect()
}

/// The rows of the double-counting table of the contract `mine`; a claim links to its page
/// when its contract is in `visible`.
pub fn duplicate_rows(
    duplicates: Vec<DuplicateBeneficiary>,
    mine: Uuid,
    visible: &BTreeSet<Uuid>,
) -> Vec<DuplicateRow> {
    let mine = mine.to_string();
    duplicates
        .into_iter()
        .map(|d| DuplicateRow {
            kind: kind_words(&d.kind),
            claims: d
                .claims
                .iter()
                .map(|(c, kpi, claim)| {
                    let here = *c == mine;
                    let open = c
                        .parse::<Uuid>()
                        .ok()
                        .filter(|c| visible.contains(c))
                        .is_some();
                    DuplicateClaim {
                        text: if here {
                            format!("{kpi} on this contract")
                        } else {
                            format!("{kpi} on another contract")
                        },
                        href: open.then(|| format!("/contracts/{c}/claims/{claim}")),
                    }
                })
                .collect(),
            reference: d.beneficiary_ref,
        })
        .collect()
}

/// Builds the dashboard for a caller already checked to be a member; `form` and `errors` keep
/// what was typed into the report form when it had problems.
pub async fn contract_page(
    state: &AppState,
    caller: &Caller,
    contract: ContractRecord,
    side: ContractSide,
    form: Option<ClaimForm>,
    errors: FormErrors,
) -> Result<ContractPage, AppError> {
    let id = contract.id;
    let claims = state.store().claims_of_contract(id).await?;
    let files = state.store().claim_evidence_of(id).await?;
    let today = today();
    let summary = summary_of(&contract.kpis, &claims, &today);
    let bars: Vec<KpiBar> = contract
        .kpis
        .iter()
        .zip(&summary.kpis)
        .map(|(k, p)| KpiBar {
            label: k.id.clone(),
            committed: p.progress.committed,
            reported: p.progress.reported,
            verified: p.progress.verified,
            text: format!(
                "{} of {} {} verified ({}); {} reported",
                quantity(p.progress.verified),
                quantity(p.progress.committed),
                k.unit,
                percent(p.verified_share),
                quantity(p.progress.reported)
            ),
        })
        .collect();
    let milestones = milestone_rows(&contract, &summary);
    let visible = visible_contracts(state, caller).await?;
    let duplicates = duplicate_rows(duplicates_for(state, &contract).await?, id, &visible);
    let kpis = kpi_rows(&contract.kpis, &summary);
    Ok(ContractPage {
        layout: Layout::signed_in("procurement", caller),
        contract_id: id,
        tender_id: contract.tender_id,
        side: side_words(side),
        role_sentence: role_sentence(side),
        awarded: contract.created_at.format("%-d %B %Y").to_string(),
        kpis_met: summary
            .kpis
            .iter()
            .filter(|k| met(k.progress.verified, k.progress.committed))
            .count(),
        chart: kpi_chart("kpi-chart", &bars),
        by_theme: group_rows(&summary.by_theme, false),
        by_area: group_rows(&summary.by_area, true),
        by_period: period_rows(&contract, &summary),
        late: milestones.iter().filter(|m| m.state == "Late").count(),
        milestones,
        duplicates,
        awaiting: claims.iter().filter(|c| c.status.reviewable()).count(),
        claims: claim_rows(&contract.kpis, &claims, &files),
        can_report: side.require_supplier(Role::Editor).is_ok(),
        kpi_options: kpi_options(&contract),
        fields: ClaimFields::new("c-", form.unwrap_or_default(), &errors),
        errors,
        downloads: DownloadLinks::new(&format!("/contracts/{id}"), &[]),
        downloads_themes: ContractTable::Themes.links(id),
        downloads_places: ContractTable::Places.links(id),
        downloads_quarters: ContractTable::Quarters.links(id),
        downloads_milestones: ContractTable::Milestones.links(id),
        downloads_duplicates: ContractTable::Duplicates.links(id),
        downloads_claims: ContractTable::Claims.links(id),
        pdf_available: crate::platform::PDF_AVAILABLE,
        kpis,
        today,
        title: contract.title,
        buyer: contract.buyer_name,
        supplier: contract.supplier_name,
    })
}

/// The contract dashboard (members of its buyer and supplier).
#[utoipa::path(get, path = "/contracts/{id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), ContractPageQuery),
    responses(
        (status = 200, description = "The contract, or with `format` one of its tables as a file: the KPIs, or the one `table` names", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such contract, or not the caller's", content_type = "text/html"),
        (status = 422, description = "Unknown `format`, or with `format` an unknown `table`", content_type = "text/html")))]
pub async fn get_contract_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageQuery(query): PageQuery<ContractPageQuery>,
) -> Result<Response, PageError> {
    let (contract, side) = contract_for(&state, &caller, id).await?;
    let format = Format::parse(query.format.as_deref())?;
    if format != Format::Html {
        let table = ContractTable::parse(query.table.as_deref())?;
        return Ok(contract_table(&state, &contract, table)
            .await?
            .download(format)?);
    }
    Ok(
        contract_page(&state, &caller, contract, side, None, FormErrors::default())
            .await?
            .into_response(),
    )
}

// The contract dashboard's tables as downloads:
// `GET /contracts/{id}?table=<name>&format=csv|xlsx|json`. Each is built from the same
// summary and rows the page shows, with unrounded numbers, units in their own column and
// dates as `YYYY-MM-DD`; each carries the contract as its source and the notes that say what
// its figures mean (only verified delivery counts).

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
