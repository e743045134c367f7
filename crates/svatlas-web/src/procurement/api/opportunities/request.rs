//! `POST /api/v1/opportunities/{id}/requests`: a supplier organisation asks to bid.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use svatlas_domain::procurement::opportunity::check_message;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::RequestBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::requesting_organisation;
use crate::procurement::opportunities::opportunity;
use crate::state::AppState;

/// The request.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewRequest {
    /// The supplier organisation that asks (needed when the caller edits in several).
    pub organisation_id: Option<Uuid>,
    /// A note to the buyer: who you are and why you fit (optional, up to 2,000 characters).
    pub message: String,
}

/// Asks to bid for an open listed tender (editors and admins of a supplier organisation).
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/requests", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = NewRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Sent: the buyer decides", body = RequestBody),
        (status = 403, description = "The buyer itself, or no editor role in a supplier organisation", body = ErrorBody),
        (status = 404, description = "Not an open listed tender, or organisation_id names an organisation the caller is not in", body = ErrorBody),
        (status = 409, description = "Already invited, or asked before", body = ErrorBody),
        (status = 422, description = "The message is too long, or organisation_id is needed", body = ErrorBody)))]
pub async fn request_to_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<NewRequest>,
) -> Result<(StatusCode, Json<RequestBody>), AppError> {
    let tender = opportunity(&state, id).await?;
    check_message(&body.value.message)?;
    let org = requesting_organisation(&caller, body.value.organisation_id, tender.organisation_id)?;
    match state
        .store()
        .request_to_bid(
            &caller.user.email,
            id,
            org,
            Some(caller.user.id),
            &body.value.message,
        )
        .await
    {
        Ok(r) => Ok((StatusCode::CREATED, Json(r.into()))),
        // Closed or taken off the list in between.
        Err(StoreError::NotFound) => Err(opportunity(&state, id)
            .await
            .err()
            .unwrap_or_else(|| AppError::NotFound(format!("no open opportunity with id {id}")))),
        Err(e) => Err(AppError::from(e)),
    }
}
