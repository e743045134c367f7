//! `GET /api/v1/contracts/{id}`: a contract with its claims, progress and double counting.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use svatlas_domain::procurement::delivery::{DeliverySummary, DuplicateBeneficiary};
use uuid::Uuid;

use super::{ClaimBody, ContractBody};
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::procurement::access::{ContractSide, contract_for, today};
use crate::procurement::delivery::{duplicates_for, summary_of};
use crate::state::AppState;

/// A contract and its delivery.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractView {
    /// The contract.
    #[serde(flatten)]
    pub contract: ContractBody,
    /// `buyer` or `supplier`.
    pub your_side: String,
    /// Every claim, oldest first.
    pub claims: Vec<ClaimBody>,
    /// Committed vs reported vs verified by KPI, theme, place and quarter; milestones.
    pub progress: DeliverySummary,
    /// Beneficiary references claimed more than once (flagged for a look, not refused).
    pub duplicate_beneficiaries: Vec<DuplicateBeneficiary>,
}

/// Reads a contract (members of its buyer or supplier).
#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract", body = ContractView),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody)))]
pub async fn get_contract(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ContractView>, AppError> {
    let (contract, side) = contract_for(&state, &caller, id).await?;
    let claims = state.store().claims_of_contract(id).await?;
    let progress = summary_of(&contract.kpis, &claims, &today());
    let duplicate_beneficiaries = duplicates_for(&state, &contract).await?;
    Ok(Json(ContractView {
        your_side: match side {
            ContractSide::Buyer(_) => "buyer",
            ContractSide::Supplier(_) => "supplier",
        }
        .into(),
        claims: claims.into_iter().map(Into::into).collect(),
        progress,
        duplicate_beneficiaries,
        contract: contract.into(),
    }))
}
