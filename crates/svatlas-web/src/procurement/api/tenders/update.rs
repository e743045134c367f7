//! `PUT /api/v1/tenders/{id}`: replace a draft tender's settings.

use axum::Json;
use axum::extract::State;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::tender::TenderDetails;
use uuid::Uuid;

use super::TenderBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// Replaces the settings of a draft tender (buyer editors and admins).
#[utoipa::path(put, path = "/api/v1/tenders/{id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = TenderDetails,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = TenderBody),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is no longer a draft", body = ErrorBody),
        (status = 422, description = "A setting is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn update_tender(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<TenderDetails>,
) -> Result<Json<TenderBody>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    body.value.validate()?;
    let tender = state
        .store()
        .update_tender(&caller.user.email, id, &body.value)
        .await?;
    Ok(Json(tender.into()))
}
