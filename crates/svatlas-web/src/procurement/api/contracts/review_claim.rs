//! `POST /api/v1/contracts/{id}/claims/{claim_id}/review`: the buyer verifies, queries or
//! rejects a claim.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::delivery::{Review, check_review};
use svatlas_store::StoreError;
use uuid::Uuid;

use super::ClaimBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::contract_for;
use crate::state::AppState;

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
