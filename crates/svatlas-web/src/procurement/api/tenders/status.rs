//! `POST /api/v1/tenders/{id}/status`: open, close for evaluation, or cancel a tender.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::tender::TenderStatus;
use uuid::Uuid;

use super::TenderBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// The status to move to.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `open` (from draft), `evaluation` (from open: bids close) or `cancelled`.
    pub status: TenderStatus,
}

/// Moves a tender on (buyer editors and admins). Award is `POST .../award`.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/status", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = StatusChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Moved", body = TenderBody),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "That move is not possible from the current status", body = ErrorBody)))]
pub async fn change_status(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<StatusChange>,
) -> Result<Json<TenderBody>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    let tender = state
        .store()
        .set_tender_status(&caller.user.email, id, body.value.status)
        .await?;
    Ok(Json(tender.into()))
}
