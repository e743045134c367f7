//! `POST /api/v1/contracts/{id}/claims`: the supplier reports delivery against a KPI.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::delivery::ClaimDetails;
use uuid::Uuid;

use super::ClaimBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::contract_for;
use crate::state::AppState;

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
