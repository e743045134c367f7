//! Delivery figures that contract pages, the contract API, transparency and the contract report
//! share: progress by KPI and possible double counting of beneficiaries.

use crate::platform::error::AppError;
use crate::state::AppState;
use svatlas_domain::procurement::delivery::{
    BeneficiaryClaim, ClaimFigure, DeliverySummary, DuplicateBeneficiary, Kpi,
    duplicate_beneficiaries, summarise,
};
use svatlas_store::procurement::{ClaimRecord, ContractRecord};
use uuid::Uuid;

/// Whether verified delivery reached the target.
pub fn met(verified: f64, committed: f64) -> bool {
    verified + 1e-9 >= committed
}

/// Progress of a contract on `today`.
pub(crate) fn summary_of(kpis: &[Kpi], claims: &[ClaimRecord], today: &str) -> DeliverySummary {
    let figures: Vec<ClaimFigure<'_>> = claims
        .iter()
        .map(|c| ClaimFigure {
            kpi_id: &c.details.kpi_id,
            period_start: &c.details.period_start,
            period_end: &c.details.period_end,
            quantity: c.details.quantity,
            status: c.status,
        })
        .collect();
    summarise(kpis, &figures, today)
}

/// Each contract with its claims, from one store query however many contracts there are.
pub(crate) async fn with_claims(
    state: &AppState,
    contracts: Vec<ContractRecord>,
) -> Result<Vec<(ContractRecord, Vec<ClaimRecord>)>, AppError> {
    let ids: Vec<Uuid> = contracts.iter().map(|c| c.id).collect();
    let mut claims = state.store().claims_of_contracts(&ids).await?;
    Ok(contracts
        .into_iter()
        .map(|c| {
            let mine = claims.remove(&c.id).unwrap_or_default();
            (c, mine)
        })
        .collect())
}

/// Beneficiary references of this contract also claimed elsewhere (same KPI again, other KPIs
/// or other contracts of the same buyer or supplier).
pub(crate) async fn duplicates_for(
    state: &AppState,
    contract: &ContractRecord,
) -> Result<Vec<DuplicateBeneficiary>, AppError> {
    let rows = state
        .store()
        .beneficiary_claims(&[
            contract.buyer_organisation_id,
            contract.supplier_organisation_id,
        ])
        .await?;
    let claims: Vec<BeneficiaryClaim> = rows
        .into_iter()
        .map(|(c, kpi, claim, r)| BeneficiaryClaim {
            contract: c.to_string(),
            kpi_id: kpi,
            claim: claim.to_string(),
            beneficiary_ref: r,
        })
        .collect();
    let mine = contract.id.to_string();
    Ok(duplicate_beneficiaries(&claims)
        .into_iter()
        .filter(|d| d.claims.iter().any(|(c, _, _)| *c == mine))
        .collect())
}
