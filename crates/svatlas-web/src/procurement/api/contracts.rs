//! Contracts in the JSON API: KPIs from the winning bid, delivery claims reported by the
//! supplier and reviewed by the buyer, and the progress figures (only verified delivery
//! counts as delivered). Rules: `crate::procurement::access`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::delivery::{
    ClaimDetails, ClaimStatus, DeliverySummary, DuplicateBeneficiary, Kpi, Review, check_review,
};
use svatlas_domain::procurement::spend::{SpendLine, SpendPlace, SpendSummary};
use svatlas_store::StoreError;
use svatlas_store::procurement::{ClaimRecord, ContractRecord};
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody, ErrorDetail};
use crate::platform::extract::{ApiJson, ApiPath};
use crate::procurement::access::{ContractSide, contract_for, today};
use crate::procurement::contract_report::contract_report_pdf;
use crate::procurement::delivery::{duplicates_for, summary_of};
use crate::procurement::portfolio::portfolio_of;
use crate::procurement::spend::spend_view;
use crate::state::AppState;

/// A contract as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractBody {
    /// Contract id.
    pub id: Uuid,
    /// The tender awarded.
    pub tender_id: Uuid,
    /// The winning bid.
    pub bid_id: Uuid,
    /// Buyer organisation.
    pub buyer_organisation_id: Uuid,
    /// Buyer's name.
    pub buyer: String,
    /// Supplier organisation.
    pub supplier_organisation_id: Uuid,
    /// Supplier's name.
    pub supplier: String,
    /// Title.
    pub title: String,
    /// KPIs from the winning bid's commitments.
    pub kpis: Vec<Kpi>,
    /// When awarded.
    pub created_at: DateTime<Utc>,
}

impl From<ContractRecord> for ContractBody {
    fn from(c: ContractRecord) -> Self {
        ContractBody {
            id: c.id,
            tender_id: c.tender_id,
            bid_id: c.bid_id,
            buyer_organisation_id: c.buyer_organisation_id,
            buyer: c.buyer_name,
            supplier_organisation_id: c.supplier_organisation_id,
            supplier: c.supplier_name,
            title: c.title,
            kpis: c.kpis,
            created_at: c.created_at,
        }
    }
}

/// A delivery claim as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClaimBody {
    /// Claim id.
    pub id: Uuid,
    /// `reported`, `verified`, `queried` or `rejected`.
    pub status: ClaimStatus,
    /// What was reported.
    #[serde(flatten)]
    pub details: ClaimDetails,
    /// The buyer's note on the last review.
    pub review_note: Option<String>,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// When.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Who reported it.
    pub reported_by: Option<String>,
    /// When reported.
    pub created_at: DateTime<Utc>,
}

impl From<ClaimRecord> for ClaimBody {
    fn from(c: ClaimRecord) -> Self {
        ClaimBody {
            id: c.id,
            status: c.status,
            details: c.details,
            review_note: c.review_note,
            reviewed_by: c.reviewed_by,
            reviewed_at: c.reviewed_at,
            reported_by: c.created_by,
            created_at: c.created_at,
        }
    }
}

// `POST /api/v1/contracts/{id}/claims`: the supplier reports delivery against a KPI.

/// Reports delivery for one period (supplier editors and admins). Evidence files are added on
/// the claim's page; links go in `links`.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/claims", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id")),
    request_body = ClaimDetails,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Reported, awaiting review", body = ClaimBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn add_claim(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<ClaimDetails>,
) -> Result<(StatusCode, Json<ClaimBody>), AppError> {
    let (contract, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    body.value.validate(&contract.kpis)?;
    let claim = state
        .store()
        .add_claim(&caller.user.email, id, &body.value)
        .await?;
    Ok((StatusCode::CREATED, Json(claim.into())))
}

// `PUT /api/v1/contracts/{id}/claims/{claim_id}`: the supplier amends a claim before review.

/// Amends a claim awaiting review or queried (supplier editors and admins); it goes back to
/// awaiting review.
#[utoipa::path(put, path = "/api/v1/contracts/{id}/claims/{claim_id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id"),
           ("claim_id" = Uuid, Path, description = "Claim id")),
    request_body = ClaimDetails,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Amended, awaiting review", body = ClaimBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such contract or claim", body = ErrorBody),
        (status = 409, description = "The claim is verified or rejected", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn amend_claim(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, claim_id)): ApiPath<(Uuid, Uuid)>,
    body: ApiJson<ClaimDetails>,
) -> Result<Json<ClaimBody>, AppError> {
    let (contract, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    body.value.validate(&contract.kpis)?;
    let claim = match state
        .store()
        .amend_claim(&caller.user.email, id, claim_id, &body.value)
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(AppError::NotFound(format!("no claim with id {claim_id}")));
        }
        other => other?,
    };
    Ok(Json(claim.into()))
}

// `GET /api/v1/contracts/{id}`: a contract with its claims, progress and double counting.

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

// `GET /api/v1/contracts`: the caller's contracts as buyer or supplier, with progress.

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

// `GET /api/v1/contracts/{id}/report.pdf`: the contract's social value report.

/// The contract report as a PDF: commitments with reported and verified delivery, themes,
/// milestones, claims, possible double counting and local spend (members of buyer and
/// supplier).
#[utoipa::path(get, path = "/api/v1/contracts/{id}/report.pdf", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report", content_type = "application/pdf"),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody),
        (status = 501, description = "This build has no PDF reports (built without the `pdf` feature)", body = ErrorBody)))]
pub async fn get_contract_report(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, AppError> {
    contract_report_pdf(&state, &caller, id).await
}

// `POST /api/v1/contracts/{id}/claims/{claim_id}/review`: the buyer verifies, queries or
// rejects a claim.

/// A review decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// `verify`, `query` or `reject`.
    pub decision: Review,
    /// Why (required to query or reject).
    #[serde(default)]
    pub note: String,
}

/// Reviews a claim awaiting review or queried (buyer editors and admins). Only verified
/// delivery counts as delivered.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/claims/{claim_id}/review", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id"),
           ("claim_id" = Uuid, Path, description = "Claim id")),
    request_body = ReviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Reviewed", body = ClaimBody),
        (status = 403, description = "The supplier, or a viewer", body = ErrorBody),
        (status = 404, description = "No such contract or claim", body = ErrorBody),
        (status = 409, description = "The claim is verified or rejected already", body = ErrorBody),
        (status = 422, description = "A query or rejection without a note", body = ErrorBody)))]
pub async fn review_claim(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, claim_id)): ApiPath<(Uuid, Uuid)>,
    body: ApiJson<ReviewRequest>,
) -> Result<Json<ClaimBody>, AppError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_buyer(Role::Editor)?;
    let r = body.value;
    check_review(r.decision, &r.note)?;
    let claim = match state
        .store()
        .review_claim(&caller.user.email, id, claim_id, r.decision, &r.note)
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(AppError::NotFound(format!("no claim with id {claim_id}")));
        }
        other => other?,
    };
    Ok(Json(claim.into()))
}

// Local spend on a contract: `GET`/`POST /api/v1/contracts/{id}/spend` and
// `DELETE /api/v1/contracts/{id}/spend/{spend_id}`.

/// A spend line with where it was spent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpendBody {
    /// Line id.
    pub id: Uuid,
    /// The line as entered.
    #[serde(flatten)]
    pub line: SpendLine,
    /// Where it was spent, from the open data (`null` when it cannot be worked out).
    pub place: Option<SpendPlace>,
    /// Who entered it.
    pub entered_by: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A contract's spend.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpendView {
    /// Shares in the contract's area, in IMD deciles 1–3, with SMEs and VCSEs.
    pub summary: SpendSummary,
    /// Every line, oldest first.
    pub lines: Vec<SpendBody>,
}

/// Lines to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSpend {
    /// 1 to 1,000 lines, recorded together or not at all.
    pub lines: Vec<SpendLine>,
}

/// Reads a contract's spend and its shares (members of buyer and supplier).
#[utoipa::path(get, path = "/api/v1/contracts/{id}/spend", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Spend and its shares", body = SpendView),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody)))]
pub async fn get_spend(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<SpendView>, AppError> {
    let (contract, _) = contract_for(&state, &caller, id).await?;
    let (lines, summary) = spend_view(&state, &contract).await?;
    Ok(Json(SpendView {
        summary,
        lines: lines
            .into_iter()
            .map(|(r, place)| SpendBody {
                id: r.id,
                line: r.line,
                place,
                entered_by: r.created_by,
                created_at: r.created_at,
            })
            .collect(),
    }))
}

/// Records spend with the supply chain (supplier editors and admins); every line is checked
/// and the lines land together or not at all.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/spend", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id")),
    request_body = NewSpend,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded; answers the contract's spend", body = SpendView),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody),
        (status = 422, description = "A line is not acceptable; `field` is `lines[i].name`", body = ErrorBody)))]
pub async fn add_spend(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<NewSpend>,
) -> Result<(StatusCode, Json<SpendView>), AppError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    let lines = body.value.lines;
    if lines.is_empty() || lines.len() > 1_000 {
        return Err(AppError::invalid(
            "out_of_range",
            "lines",
            "send 1 to 1,000 spend lines",
        ));
    }
    let mut details = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Err(e) = l.validate() {
            details.extend(e.0.into_iter().map(|f| {
                ErrorDetail::new(&f.code, Some(format!("lines[{i}].{}", f.field)), f.message)
            }));
        }
    }
    if !details.is_empty() {
        return Err(AppError::Unprocessable(details));
    }
    state
        .store()
        .add_spend(&caller.user.email, id, &lines)
        .await?;
    let Json(view) = get_spend(State(state), ApiCaller(caller), ApiPath(id)).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Removes a spend line entered in error (supplier editors and admins).
#[utoipa::path(delete, path = "/api/v1/contracts/{id}/spend/{spend_id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id"), ("spend_id" = Uuid, Path, description = "Spend line id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such contract or line", body = ErrorBody)))]
pub async fn delete_spend(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, spend_id)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, AppError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    match state
        .store()
        .delete_spend(&caller.user.email, id, spend_id)
        .await
    {
        Err(StoreError::NotFound) => Err(AppError::NotFound(format!(
            "no spend line with id {spend_id}"
        ))),
        other => Ok(other.map(|()| StatusCode::NO_CONTENT)?),
    }
}
