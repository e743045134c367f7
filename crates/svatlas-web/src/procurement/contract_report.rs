//! The contract's PDF report, shared by the API and the pages: figures formatted once here and
//! laid out by `svatlas_report::contract_pdf` (typst, the calculator reports' engine).

use axum::response::Response;
#[cfg(feature = "pdf")]
use axum::{
    http::{HeaderValue, header},
    response::IntoResponse,
};
#[cfg(feature = "pdf")]
use svatlas_domain::{
    procurement::delivery::{ClaimStatus, DeliverySummary, DuplicateBeneficiary, quantity_words},
    procurement::model::{Catalogue, Edition},
    procurement::spend::{Share, SpendSummary},
    sroi::display::format_percent,
    sroi::format_money,
};
#[cfg(feature = "pdf")]
use svatlas_report::contract_pdf::{
    ContractReport, KpiLine, MilestoneLine, SpendLine, ThemeLine, contract_pdf,
};
#[cfg(feature = "pdf")]
use svatlas_store::procurement::ContractRecord;
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::procurement::access::contract_for;
#[cfg(feature = "pdf")]
use crate::procurement::access::today;
#[cfg(feature = "pdf")]
use crate::procurement::delivery::{duplicates_for, summary_of};
use crate::state::AppState;

/// The contract report as a PDF download (members of buyer and supplier); 501 once access is
/// checked in a build without the `pdf` feature.
pub(crate) async fn contract_report_pdf(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<Response, AppError> {
    let (contract, _) = contract_for(state, caller, id).await?;
    #[cfg(feature = "pdf")]
    {
        render(state, contract).await
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (state, contract);
        Err(crate::platform::pdf_not_available(
            "the contract page's tables download as Excel or CSV instead",
        ))
    }
}

/// Lays out the report of a contract the caller may see.
#[cfg(feature = "pdf")]
async fn render(state: &AppState, contract: ContractRecord) -> Result<Response, AppError> {
    let id = contract.id;
    let tender = state.store().tender(contract.tender_id).await?;
    let claims = state.store().claims_of_contract(id).await?;
    let today = today();
    let progress = summary_of(&contract.kpis, &claims, &today);
    let duplicates = duplicates_for(state, &contract).await?;
    let (_, spend) = crate::procurement::spend::spend_view(state, &contract).await?;
    let met = progress
        .kpis
        .iter()
        .filter(|k| k.progress.verified + 1e-9 >= k.progress.committed)
        .count();
    let count = |s: ClaimStatus| claims.iter().filter(|c| c.status == s).count();
    let edition = tender.details.edition;
    let kpis = kpi_lines(&contract, &progress, edition);
    let spend_lines = spend_lines(&spend);
    let report = ContractReport {
        title: contract.title.clone(),
        buyer: contract.buyer_name.clone(),
        supplier: contract.supplier_name.clone(),
        awarded_on: contract.created_at.format("%-d %B %Y").to_string(),
        contract_value: format_money(tender.details.contract_value_gbp),
        edition: edition.title().to_owned(),
        headline: format!(
            "{met} of {} KPIs fully verified as of {today}.",
            contract.kpis.len()
        ),
        kpis,
        themes: progress
            .by_theme
            .iter()
            .map(|g| ThemeLine {
                group: g.group.clone(),
                kpis: g.kpis.to_string(),
                met: g.kpis_met.to_string(),
                share: format_percent(g.mean_verified_share),
            })
            .collect(),
        milestones: milestone_lines(&contract, &progress),
        claims_line: format!(
            "{} claims: {} verified, {} awaiting review, {} queried, {} rejected.",
            claims.len(),
            count(ClaimStatus::Verified),
            count(ClaimStatus::Reported),
            count(ClaimStatus::Queried),
            count(ClaimStatus::Rejected)
        ),
        duplicates: duplicates.iter().map(duplicate_words).collect(),
        spend: spend_lines,
        sources: vec![
            "Social Value Model (2020 PPN 06/20; 2025 PPN 002), Cabinet Office. Open Government Licence v3.0.".into(),
            "English Indices of Deprivation 2025, MHCLG. Open Government Licence v3.0.".into(),
            "ONS postcode lookup (May 2022; later postcodes placed by sv-atlas, estimates). Open Government Licence v3.0; contains OS data © Crown copyright and database right.".into(),
        ],
        generated_on: chrono::Utc::now().format("%-d %B %Y").to_string(),
        footer: format!("sv-atlas {} · contract {}", crate::platform::views::VERSION, contract.id),
    };
    let bytes = tokio::task::spawn_blocking(move || contract_pdf(&report))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(pdf_response(bytes, contract.id))
}

/// Each KPI with its figures in words.
#[cfg(feature = "pdf")]
fn kpi_lines(
    contract: &ContractRecord,
    progress: &DeliverySummary,
    edition: Edition,
) -> Vec<KpiLine> {
    contract
        .kpis
        .iter()
        .zip(&progress.kpis)
        .map(|(k, p)| KpiLine {
            id: k.id.clone(),
            description: k.description.clone(),
            criterion: Catalogue::shipped()
                .edition(edition)
                .criterion(&k.criterion)
                .map_or_else(|| k.criterion.clone(), |c| format!("{} {}", c.id, c.title)),
            theme: k.theme.clone(),
            frequency: k.frequency.label().to_owned(),
            committed: quantity_words(p.progress.committed, &k.unit),
            reported: quantity_words(p.progress.reported, &k.unit),
            verified: quantity_words(p.progress.verified, &k.unit),
            share: format_percent(p.verified_share),
        })
        .collect()
}

/// The total recorded and its local shares.
#[cfg(feature = "pdf")]
fn spend_lines(spend: &SpendSummary) -> Vec<SpendLine> {
    let share_line = |label: &str, s: &Share| SpendLine {
        label: label.to_owned(),
        amount: format_money(s.amount_gbp),
        share: format_percent(s.share),
    };
    let mut lines = vec![SpendLine {
        label: "Total recorded".into(),
        amount: format_money(spend.total_gbp),
        share: format_percent(1.0),
    }];
    if let Some(a) = &spend.in_contract_area {
        lines.push(share_line("In the contract's area", a));
    }
    lines.push(share_line(
        "In IMD 2025 deciles 1-3",
        &spend.in_deprived_areas,
    ));
    lines.push(share_line("With SMEs", &spend.with_smes));
    lines.push(share_line("With VCSEs", &spend.with_vcses));
    lines.push(share_line("Not located", &spend.not_located));
    lines
}

#[cfg(feature = "pdf")]
fn milestone_lines(contract: &ContractRecord, progress: &DeliverySummary) -> Vec<MilestoneLine> {
    progress
        .milestones
        .iter()
        .map(|m| {
            let unit = contract
                .kpis
                .iter()
                .find(|k| k.id == m.kpi_id)
                .map(|k| k.unit.as_str())
                .unwrap_or("");
            MilestoneLine {
                kpi: m.kpi_id.clone(),
                due: m.due.clone(),
                description: m.description.clone(),
                target: quantity_words(m.target, unit),
                verified: quantity_words(m.verified_by_due, unit),
                state: match m.state.as_str() {
                    "met" => "Met",
                    "late" => "Late",
                    _ => "Due",
                }
                .to_owned(),
            }
        })
        .collect()
}

#[cfg(feature = "pdf")]
fn duplicate_words(d: &DuplicateBeneficiary) -> String {
    format!(
        "reference {} on {} claims ({})",
        d.beneficiary_ref,
        d.claims.len(),
        match d.kind.as_str() {
            "contracts" => "several contracts",
            "kpis" => "several KPIs",
            _ => "the same KPI again",
        }
    )
}

/// The PDF as a download named after the contract.
#[cfg(feature = "pdf")]
fn pdf_response(bytes: Vec<u8>, contract: Uuid) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"contract-{}-report.pdf\"",
        &contract.to_string()[..8]
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
