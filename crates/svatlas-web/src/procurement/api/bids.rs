//! Scoring bids in the JSON API: evaluators' scores and the moderator's consensus.

pub mod consensus;
pub mod score;

use svatlas_store::StoreError;
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::procurement::access::{TenderAccess, tender_for};
use crate::state::AppState;

/// The bid's tender as the caller sees it; 404 for a bid the caller cannot score.
pub(crate) async fn tender_of_bid(
    state: &AppState,
    caller: &Caller,
    bid_id: Uuid,
) -> Result<TenderAccess, AppError> {
    let no_bid = || AppError::NotFound(format!("no bid with id {bid_id}"));
    let bid = match state.store().bid(bid_id).await {
        Ok(b) => b,
        Err(StoreError::NotFound) => return Err(no_bid()),
        Err(e) => return Err(e.into()),
    };
    let access = match tender_for(state, caller, bid.tender_id).await {
        Err(AppError::NotFound(_)) => return Err(no_bid()),
        other => other?,
    };
    // Suppliers never reach other bids, and the buyer's side only once bids are closed.
    if !access.sees_bids() || bid.status != svatlas_domain::procurement::bid::BidStatus::Submitted {
        return Err(no_bid());
    }
    Ok(access)
}
