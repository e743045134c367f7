//! `GET /api/v1/tenders/{id}/bids`: the submitted bids, for the buyer once bids are closed.

use axum::Json;
use axum::extract::State;
use svatlas_domain::procurement::bid::BidStatus;
use uuid::Uuid;

use super::BidBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// Lists the submitted bids (buyer members, from the close of bids: bids are sealed until then).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/bids", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Submitted bids, by supplier name", body = Vec<BidBody>),
        (status = 403, description = "A supplier, who sees only its own bid", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Bids are sealed until the tender closes", body = ErrorBody)))]
pub async fn list_bids(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<BidBody>>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(svatlas_domain::accounts::Role::Viewer)?;
    if !access.sees_bids() {
        return Err(AppError::Conflict(
            "bids are sealed until the tender closes for evaluation".into(),
        ));
    }
    let bids = state
        .store()
        .bids_of_tender(id, BidStatus::Submitted)
        .await?;
    Ok(Json(bids.into_iter().map(Into::into).collect()))
}
