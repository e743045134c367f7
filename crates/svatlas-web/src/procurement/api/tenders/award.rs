//! `POST /api/v1/tenders/{id}/award`: award the tender to a bid; its commitments become KPIs.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::procurement::api::contracts::ContractBody;
use crate::state::AppState;

/// The winning bid.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// A submitted bid of this tender.
    pub bid_id: Uuid,
}

/// Awards the tender (buyer admins) once every consensus score is in; answers the contract.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/award", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = Award,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The contract, with KPIs from the bid's commitments", body = ContractBody),
        (status = 403, description = "Not a buyer admin", body = ErrorBody),
        (status = 404, description = "No such tender or submitted bid", body = ErrorBody),
        (status = 409, description = "Not in evaluation, or consensus scores missing", body = ErrorBody)))]
pub async fn award_tender(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<Award>,
) -> Result<(StatusCode, Json<ContractBody>), AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Admin)?;
    let contract = state
        .store()
        .award_tender(&caller.user.email, id, body.value.bid_id)
        .await?;
    Ok((StatusCode::CREATED, Json(contract.into())))
}
