//! Pledges in the JSON API: a profile's and a contract's pledges, one pledge, and its delivery
//! report and review.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use svatlas_domain::accounts::Role;
use svatlas_domain::partners::{DeliveryReport, PledgeDetails, PledgeReview, check_pledge_review};
use svatlas_store::StoreError;
use uuid::Uuid;

use super::PledgeBody;
use crate::partners::access::{pledge_for, profile_for, today};
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiPath};
use crate::procurement::access::contract_for;
use crate::state::AppState;

// One pledge: `GET /api/v1/pledges/{id}`, the supplier's delivery report
// (`POST .../delivery`) and the VCSE's confirmation or query (`POST .../review`).
/// The VCSE's answer to a delivery report.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewPledge {
    /// `confirm` (counts as delivered) or `query`.
    pub decision: PledgeReview,
    /// What is wrong or missing (required to query).
    #[serde(default)]
    pub note: String,
}

/// Reads a pledge (members of the supplier, the VCSE and the contract's buyer).
#[utoipa::path(get, path = "/api/v1/pledges/{id}", tag = "partners",
    params(("id" = Uuid, Path, description = "Pledge id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The pledge", body = PledgeBody),
        (status = 404, description = "No such pledge, or not the caller's", body = ErrorBody)))]
pub async fn get_pledge(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<PledgeBody>, AppError> {
    let (pledge, _) = pledge_for(&state, &caller, id).await?;
    Ok(Json(pledge.into()))
}

/// Reports (or corrects) what was delivered (the supplier's editors and admins). The pledge
/// then awaits the VCSE's confirmation; a confirmed delivery cannot change.
#[utoipa::path(post, path = "/api/v1/pledges/{id}/delivery", tag = "partners",
    params(("id" = Uuid, Path, description = "Pledge id")),
    request_body = DeliveryReport,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Reported, awaiting confirmation", body = PledgeBody),
        (status = 403, description = "Not the supplier, or a viewer", body = ErrorBody),
        (status = 404, description = "No such pledge, or not the caller's", body = ErrorBody),
        (status = 409, description = "Delivery is confirmed already", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn report_delivery(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<DeliveryReport>,
) -> Result<Json<PledgeBody>, AppError> {
    let (_, sides) = pledge_for(&state, &caller, id).await?;
    sides.require_supplier()?;
    let today = today();
    body.value.validate(&today)?;
    let pledge = state
        .store()
        .report_delivery(&caller.user.email, id, &body.value, &today)
        .await?;
    Ok(Json(pledge.into()))
}

/// Confirms or queries reported delivery (the VCSE's editors and admins). Only confirmed
/// delivery counts as delivered.
#[utoipa::path(post, path = "/api/v1/pledges/{id}/review", tag = "partners",
    params(("id" = Uuid, Path, description = "Pledge id")),
    request_body = ReviewPledge,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Reviewed", body = PledgeBody),
        (status = 403, description = "Not the VCSE supported, or a viewer", body = ErrorBody),
        (status = 404, description = "No such pledge, or not the caller's", body = ErrorBody),
        (status = 409, description = "Nothing reported to review, or reviewed already", body = ErrorBody),
        (status = 422, description = "A query without a note", body = ErrorBody)))]
pub async fn review_pledge(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<ReviewPledge>,
) -> Result<Json<PledgeBody>, AppError> {
    let (_, sides) = pledge_for(&state, &caller, id).await?;
    sides.require_vcse()?;
    let r = body.value;
    check_pledge_review(r.decision, &r.note)?;
    let pledge = state
        .store()
        .review_pledge(&caller.user.email, id, r.decision, &r.note)
        .await?;
    Ok(Json(pledge.into()))
}

// Pledges listed for a VCSE (`GET /api/v1/partners/{id}/pledges`) and for a contract
// (`GET /api/v1/contracts/{id}/pledges`), and a supplier's new pledge under its contract
// (`POST /api/v1/contracts/{id}/pledges`).
/// Pledges, oldest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PledgeList {
    /// The pledges.
    pub pledges: Vec<PledgeBody>,
}

/// A new pledge towards one need of a published profile.
// The pledge's own fields are spelled out rather than flattened from `PledgeDetails`: that type
// refuses unknown fields, so a flattened schema would refuse `profile_id` and no body could pass.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePledge {
    /// The VCSE profile.
    pub profile_id: Uuid,
    /// One of its open needs.
    pub need_id: Uuid,
    /// How much, in the need's unit (volunteer hours, items, £...), if it can be counted.
    #[serde(default)]
    pub quantity: Option<f64>,
    /// What the supplier will do.
    pub description: String,
    /// By when, `YYYY-MM-DD`.
    #[serde(default)]
    pub due_date: Option<String>,
}

impl CreatePledge {
    /// What is pledged.
    fn pledge(&self) -> PledgeDetails {
        PledgeDetails {
            quantity: self.quantity,
            description: self.description.clone(),
            due_date: self.due_date.clone(),
        }
    }
}

/// Pledges to the profile's needs (members of the profile's organisation only).
#[utoipa::path(get, path = "/api/v1/partners/{id}/pledges", tag = "partners",
    params(("id" = Uuid, Path, description = "Profile id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Pledges to the profile's needs", body = PledgeList),
        (status = 404, description = "No such profile, or not the caller's organisation's", body = ErrorBody)))]
pub async fn list_profile_pledges(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<PledgeList>, AppError> {
    let (_, role) = profile_for(&state, Some(&caller), id).await?;
    if role.is_none() {
        return Err(AppError::NotFound(format!(
            "no partner profile with id {id}"
        )));
    }
    let pledges = state.store().pledges_of_profile(id).await?;
    Ok(Json(PledgeList {
        pledges: pledges.into_iter().map(Into::into).collect(),
    }))
}

/// Pledges made under the contract (members of its buyer and supplier).
#[utoipa::path(get, path = "/api/v1/contracts/{id}/pledges", tag = "partners",
    params(("id" = Uuid, Path, description = "Contract id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Pledges under the contract", body = PledgeList),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody)))]
pub async fn list_contract_pledges(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<PledgeList>, AppError> {
    contract_for(&state, &caller, id).await?;
    let pledges = state.store().pledges_of_contract(id).await?;
    Ok(Json(PledgeList {
        pledges: pledges.into_iter().map(Into::into).collect(),
    }))
}

/// Pledges support to a VCSE's open need under the contract (the supplier's editors and
/// admins).
#[utoipa::path(post, path = "/api/v1/contracts/{id}/pledges", tag = "partners",
    params(("id" = Uuid, Path, description = "Contract id")),
    request_body = CreatePledge,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Pledged", body = PledgeBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such contract, profile or need, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The need is closed, or the profile is the supplier's own", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn create_pledge(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<CreatePledge>,
) -> Result<(StatusCode, Json<PledgeBody>), AppError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    let r = body.value;
    profile_for(&state, Some(&caller), r.profile_id).await?;
    let pledge = r.pledge();
    pledge.validate()?;
    let pledge = match state
        .store()
        .add_pledge(&caller.user.email, id, r.profile_id, r.need_id, &pledge)
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(AppError::NotFound(format!(
                "the profile has no need with id {}",
                r.need_id
            )));
        }
        other => other?,
    };
    Ok((StatusCode::CREATED, Json(pledge.into())))
}
