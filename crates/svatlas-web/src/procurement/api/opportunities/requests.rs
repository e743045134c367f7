//! `GET /api/v1/tenders/{id}/requests` and
//! `POST /api/v1/tenders/{id}/requests/{organisation_id}/decision`: the buyer's side of
//! suppliers' requests to bid.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::opportunity::{Decision, check_decision};
use svatlas_store::StoreError;
use uuid::Uuid;

use super::RequestBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// Every request to bid for the tender, oldest first (buyer members).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/requests", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Requests, oldest first", body = Vec<RequestBody>),
        (status = 403, description = "A supplier: requests are the buyer's", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn list_requests(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<RequestBody>>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Viewer)?;
    let list = state.store().tender_requests(id).await?;
    Ok(Json(list.into_iter().map(RequestBody::from).collect()))
}

/// The buyer's decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// `accept` (invites the supplier) or `decline`.
    pub decision: Decision,
    /// Why, for a decline (needed); optional for an acceptance.
    #[serde(default)]
    pub note: String,
}

/// Accepts or declines a request while the tender is open (buyer editors and admins).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/requests/{organisation_id}/decision", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id"),
           ("organisation_id" = Uuid, Path, description = "The supplier organisation that asked")),
    request_body = DecisionBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Decided; an accepted supplier is invited", body = RequestBody),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender or request, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Answered already, or the tender is no longer open", body = ErrorBody),
        (status = 422, description = "A decline without its reason", body = ErrorBody)))]
pub async fn decide_request(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, organisation_id)): ApiPath<(Uuid, Uuid)>,
    body: ApiJson<DecisionBody>,
) -> Result<Json<RequestBody>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    check_decision(body.value.decision, &body.value.note)?;
    match state
        .store()
        .decide_request(
            &caller.user.email,
            id,
            organisation_id,
            body.value.decision,
            &body.value.note,
        )
        .await
    {
        Ok(r) => Ok(Json(r.into())),
        Err(StoreError::NotFound) => Err(AppError::NotFound(format!(
            "no request to bid from organisation {organisation_id}"
        ))),
        Err(e) => Err(AppError::from(e)),
    }
}
