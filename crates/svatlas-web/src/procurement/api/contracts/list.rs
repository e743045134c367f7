//! `GET /api/v1/contracts`: the caller's contracts as buyer or supplier, with progress.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use uuid::Uuid;

use super::ContractBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::AppError;
use crate::procurement::access::today;
use crate::procurement::delivery::summary_of;
use crate::state::AppState;

/// A contract with its headline progress.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractSummary {
    /// The contract.
    #[serde(flatten)]
    pub contract: ContractBody,
    /// `buyer` or `supplier`.
    pub your_side: String,
    /// KPIs whose verified delivery reached the target.
    pub kpis_met: usize,
    /// Claims awaiting the buyer's review.
    pub claims_awaiting_review: usize,
    /// Milestones past due and not met.
    pub milestones_late: usize,
}

/// The portfolio: every contract of the caller's organisations.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractList {
    /// Newest first.
    pub contracts: Vec<ContractSummary>,
}

/// Lists the caller's contracts (members of the buyer or supplier).
#[utoipa::path(get, path = "/api/v1/contracts", tag = "procurement",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's contracts", body = ContractList)))]
pub async fn list_contracts(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<ContractList>, AppError> {
    let orgs: Vec<Uuid> = caller
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    let today = today();
    let mut out = Vec::new();
    for c in state.store().contracts_of(&orgs).await? {
        let claims = state.store().claims_of_contract(c.id).await?;
        let s = summary_of(&c.kpis, &claims, &today);
        out.push(ContractSummary {
            your_side: if orgs.contains(&c.buyer_organisation_id) {
                "buyer"
            } else {
                "supplier"
            }
            .into(),
            kpis_met: s
                .kpis
                .iter()
                .filter(|k| k.progress.verified + 1e-9 >= k.progress.committed)
                .count(),
            claims_awaiting_review: claims.iter().filter(|c| c.status.reviewable()).count(),
            milestones_late: s.milestones.iter().filter(|m| m.state == "late").count(),
            contract: c.into(),
        });
    }
    Ok(Json(ContractList { contracts: out }))
}
