//! `GET /api/v1/contracts`: the caller's contracts as buyer or supplier, with progress.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::ContractBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::AppError;
use crate::procurement::portfolio::portfolio_of;
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
    let portfolio = portfolio_of(&state, &caller).await?;
    let contracts = portfolio
        .contracts
        .into_iter()
        .map(|e| ContractSummary {
            your_side: if e.buyer { "buyer" } else { "supplier" }.into(),
            kpis_met: e.kpis_met,
            claims_awaiting_review: e.awaiting,
            milestones_late: e.late,
            contract: e.contract.into(),
        })
        .collect();
    Ok(Json(ContractList { contracts }))
}
