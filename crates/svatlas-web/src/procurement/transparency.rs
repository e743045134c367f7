//! What a buyer's public transparency page and its JSON show (for buyers who opt in): awarded
//! contracts, the social value committed and the delivery verified, and local spend shares. No
//! personal data: no people's names, no beneficiary references, no spend lines.

use serde::Serialize;
use svatlas_domain::procurement::delivery::DeliverySummary;
use svatlas_domain::procurement::spend::SpendSummary;
use svatlas_store::StoreError;
use svatlas_store::procurement::ContractRecord;
use uuid::Uuid;

use crate::platform::error::AppError;
use crate::procurement::access::today;
use crate::procurement::delivery::{summary_of, with_claims};
use crate::procurement::spend::figures_of;
use crate::state::AppState;

/// One KPI as published.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicKpi {
    /// `K1`...
    pub id: String,
    /// Model award criterion (`MAC 2.2`).
    pub criterion: String,
    /// Theme or mission.
    pub theme: String,
    /// What is delivered.
    pub description: String,
    /// Unit.
    pub unit: String,
    /// Committed quantity.
    pub committed: f64,
    /// Verified by the buyer.
    pub verified: f64,
    /// Verified ÷ committed.
    pub verified_share: f64,
}

/// One contract as published.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicContract {
    /// Contract id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Supplier organisation's name.
    pub supplier: String,
    /// Award date, `YYYY-MM-DD`.
    pub awarded_on: String,
    /// Contract value from the tender, £.
    pub contract_value_gbp: f64,
    /// Its KPIs: committed and verified.
    pub kpis: Vec<PublicKpi>,
    /// Local spend shares (totals only).
    pub spend: SpendSummary,
}

/// A buyer's transparency page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Transparency {
    /// Buyer organisation id.
    pub organisation_id: Uuid,
    /// Buyer's name.
    pub buyer: String,
    /// Awarded contracts, newest first.
    pub contracts: Vec<PublicContract>,
    /// Only delivery the buyer verified counts; figures as of this date.
    pub as_of: String,
}

/// The published page of `organisation`: 404 unless it opted in.
pub(crate) async fn transparency_of(
    state: &AppState,
    organisation: Uuid,
) -> Result<Transparency, AppError> {
    let not_found = || AppError::NotFound(format!("no transparency page for {organisation}"));
    if !state.store().transparency_published(organisation).await? {
        return Err(not_found());
    }
    let buyer = state.store().organisation_by_id(organisation).await?;
    let today = today();
    let bought = state.store().contracts_bought_by(organisation).await?;
    // Tenders, claims and spend of every contract in one query each.
    let ids: Vec<Uuid> = bought.iter().map(|c| c.id).collect();
    let tender_ids: Vec<Uuid> = bought.iter().map(|c| c.tender_id).collect();
    let tenders = state.store().tenders_by_id(&tender_ids).await?;
    let mut spend_lines = state.store().spend_of_contracts(&ids).await?;
    let mut contracts = Vec::new();
    for (c, claims) in with_claims(state, bought).await? {
        let progress = summary_of(&c.kpis, &claims, &today);
        let tender = tenders.get(&c.tender_id).ok_or(StoreError::NotFound)?;
        let lines = spend_lines.remove(&c.id).unwrap_or_default();
        let spend = figures_of(state, lines, tender.details.areas.clone()).summary;
        contracts.push(PublicContract {
            id: c.id,
            title: c.title.clone(),
            supplier: c.supplier_name.clone(),
            awarded_on: c.created_at.format("%Y-%m-%d").to_string(),
            contract_value_gbp: tender.details.contract_value_gbp,
            kpis: public_kpis(&c, &progress),
            spend,
        });
    }
    Ok(Transparency {
        organisation_id: organisation,
        buyer: buyer.name,
        contracts,
        as_of: today,
    })
}

/// A contract's KPIs as published: committed and verified only.
fn public_kpis(c: &ContractRecord, progress: &DeliverySummary) -> Vec<PublicKpi> {
    c.kpis
        .iter()
        .zip(&progress.kpis)
        .map(|(k, p)| PublicKpi {
            id: k.id.clone(),
            criterion: k.criterion.clone(),
            theme: k.theme.clone(),
            description: k.description.clone(),
            unit: k.unit.clone(),
            committed: p.progress.committed,
            verified: p.progress.verified,
            verified_share: p.verified_share,
        })
        .collect()
}
