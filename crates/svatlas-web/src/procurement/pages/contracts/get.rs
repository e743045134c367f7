//! `GET /contracts/{id}`: the contract dashboard for members of its buyer and supplier. KPIs
//! committed vs reported vs verified (table and chart), by theme, place and quarter,
//! milestones met, late or due, beneficiary references claimed more than once, the claims, and
//! for the supplier's editors the form that reports delivery. `format=csv|xlsx|json` downloads
//! one of its tables: the KPIs, or the one `table` names (see [`super::tables`]).

use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::delivery::{DeliverySummary, DuplicateBeneficiary, GroupCount};
use svatlas_store::procurement::ContractRecord;
use uuid::Uuid;

use super::chart::{KpiBar, kpi_chart};
use super::forms::{ClaimFields, ClaimForm};
use super::tables::{ContractTable, contract_table};
use super::{
    ClaimRow, KpiRow, claim_rows, kpi_rows, met, percent, quantity, role_sentence, side_words,
    visible_contracts,
};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::download::{DownloadLinks, Format};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageQuery;
use crate::platform::views::FormErrors;
use crate::platform::views::Layout;
use crate::procurement::access::{ContractSide, contract_for, today};
use crate::procurement::delivery::duplicates_for;
use crate::procurement::delivery::summary_of;
use crate::state::AppState;

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
        layout: Layout::new("procurement"),
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
