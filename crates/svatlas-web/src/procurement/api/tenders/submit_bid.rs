//! `POST /api/v1/tenders/{id}/bid/submit` and `.../bid/withdraw`.

use axum::Json;
use axum::extract::State;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::BidBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

async fn own_bid(
    state: &AppState,
    caller: &crate::platform::auth::Caller,
    id: Uuid,
) -> Result<Uuid, AppError> {
    let supplier = tender_for(state, caller, id)
        .await?
        .require_supplier(Role::Editor)?;
    state
        .store()
        .bid_of(id, supplier)
        .await?
        .map(|b| b.id)
        .ok_or_else(|| {
            AppError::NotFound("your organisation has no bid for this tender yet".into())
        })
}

/// Submits the supplier's draft bid: every question must be answered. It can no longer change
/// unless withdrawn while the tender is open.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/bid/submit", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Submitted", body = BidBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such tender, or no bid yet", body = ErrorBody),
        (status = 409, description = "The tender is not open, or the bid is not a draft", body = ErrorBody),
        (status = 422, description = "A question has no answer yet", body = ErrorBody)))]
pub async fn submit_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<BidBody>, AppError> {
    let bid = own_bid(&state, &caller, id).await?;
    let bid = state.store().submit_bid(&caller.user.email, bid).await?;
    Ok(Json(bid.into()))
}

/// Withdraws a submitted bid while the tender is open (save it again to make it a draft).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/bid/withdraw", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = BidBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such tender, or no bid yet", body = ErrorBody),
        (status = 409, description = "The tender is not open, or the bid is not submitted", body = ErrorBody)))]
pub async fn withdraw_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<BidBody>, AppError> {
    let bid = own_bid(&state, &caller, id).await?;
    let bid = state.store().withdraw_bid(&caller.user.email, bid).await?;
    Ok(Json(bid.into()))
}
