//! `POST /api/v1/tenders/{id}/invitations`: invite a supplier organisation to bid.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::get::InvitationBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// The supplier to invite.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Invite {
    /// The supplier organisation's id (shown to its members on their organisation page).
    pub organisation_id: Uuid,
}

/// Invites a supplier (buyer editors and admins); answers every invited supplier.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/invitations", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = Invite,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Invited suppliers", body = Vec<InvitationBody>),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is awarded or cancelled", body = ErrorBody),
        (status = 422, description = "No such organisation, or the buyer itself", body = ErrorBody)))]
pub async fn invite_supplier(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<Invite>,
) -> Result<Json<Vec<InvitationBody>>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    match state
        .store()
        .invite_supplier(&caller.user.email, id, body.value.organisation_id)
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(AppError::invalid(
                "unknown",
                "organisation_id",
                "no organisation has that id: ask the supplier for the id on their organisation page",
            ));
        }
        other => other?,
    }
    let list = state.store().invitations(id).await?;
    Ok(Json(
        list.into_iter()
            .map(|i| InvitationBody {
                organisation_id: i.organisation_id,
                name: i.organisation_name,
            })
            .collect(),
    ))
}
