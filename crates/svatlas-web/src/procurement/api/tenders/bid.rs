//! `GET` and `PUT /api/v1/tenders/{id}/bid`: the caller's organisation's own bid.

use axum::Json;
use axum::extract::State;
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::ProxyLibrary;
use svatlas_domain::procurement::bid::BidDetails;
use svatlas_domain::procurement::valuation::apply_valuations;
use uuid::Uuid;

use super::BidBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// Reads the supplier's own bid (any member of an invited supplier).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/bid", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your bid", body = BidBody),
        (status = 403, description = "The buyer, who does not bid", body = ErrorBody),
        (status = 404, description = "No such tender, or no bid yet", body = ErrorBody)))]
pub async fn get_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<BidBody>, AppError> {
    let supplier = tender_for(&state, &caller, id)
        .await?
        .require_supplier(Role::Viewer)?;
    match state.store().bid_of(id, supplier).await? {
        Some(bid) => Ok(Json(bid.into())),
        None => Err(AppError::NotFound(
            "your organisation has no bid for this tender yet".into(),
        )),
    }
}

/// Saves the supplier's draft bid (editors and admins of an invited supplier, while the tender
/// is open). A draft may leave answers out; submitting needs them all. A commitment with a
/// `valuation` is valued by the calculator's engine: its `estimated_value_gbp` and
/// `value_basis` are replaced by the engine's figure and workings.
#[utoipa::path(put, path = "/api/v1/tenders/{id}/bid", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = BidDetails,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved (draft)", body = BidBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is not open, or the bid is submitted", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn save_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<BidDetails>,
) -> Result<Json<BidBody>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    let supplier = access.require_supplier(Role::Editor)?;
    let mut details = body.value.normalised(&access.tender.details);
    // Commitments asking to be valued get the engine's figure before anything is checked.
    apply_valuations(&mut details, ProxyLibrary::shipped())?;
    details.validate(&access.tender.details, false)?;
    let bid = state
        .store()
        .save_bid(&caller.user.email, id, supplier, &details)
        .await?;
    Ok(Json(bid.into()))
}
