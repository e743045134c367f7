//! One pledge: `GET /api/v1/pledges/{id}`, the supplier's delivery report
//! (`POST .../delivery`) and the VCSE's confirmation or query (`POST .../review`).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use svatlas_domain::partners::{DeliveryReport, PledgeReview, check_pledge_review};
use uuid::Uuid;

use super::PledgeBody;
use crate::partners::access::{pledge_for, today};
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::state::AppState;

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
