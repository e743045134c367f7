//! `PUT /api/v1/contracts/{id}/claims/{claim_id}`: the supplier amends a claim before review.

use axum::Json;
use axum::extract::State;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::delivery::ClaimDetails;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::ClaimBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::contract_for;
use crate::state::AppState;

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
