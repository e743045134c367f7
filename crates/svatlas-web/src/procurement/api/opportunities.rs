//! Open opportunities (self-registration): a buyer lists an open tender, suppliers it has not
//! invited find it on the public list and ask to bid, and the buyer accepts (which invites
//! them, so the invitation's rules apply from then on) or declines with a reason.
//!
//! The list and each opportunity are public, like a contracts notice: only open tenders the
//! buyer chose to list. Requests are made by editors of a supplier organisation; the buyer's
//! members read them and its editors decide.

pub mod get;
pub mod list;
pub mod listing;
pub mod request;
pub mod requests;

use chrono::{DateTime, Utc};
use serde::Serialize;
use svatlas_domain::procurement::opportunity::RequestStatus;
use svatlas_store::opportunities::TenderRequest;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::state::AppState;

/// Opportunities per page.
pub const PER_PAGE: usize = 20;

/// This module's API routes and the pages', merged into the app's router.
pub fn routes() -> OpenApiRouter<AppState> {
    use crate::procurement::pages::opportunities as pages;
    OpenApiRouter::new()
        .routes(routes!(list::list_opportunities))
        .routes(routes!(get::get_opportunity))
        .routes(routes!(request::request_to_bid))
        .routes(routes!(listing::set_listing))
        .routes(routes!(requests::list_requests))
        .routes(routes!(requests::decide_request))
        .routes(routes!(pages::list::list_opportunities_page))
        .routes(routes!(pages::get::get_opportunity_page))
        .routes(routes!(pages::get::request_to_bid_page))
        .routes(routes!(pages::decide::set_listing_page))
        .routes(routes!(pages::decide::decide_request_page))
}

/// A request to bid as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RequestBody {
    /// The tender.
    pub tender_id: Uuid,
    /// The supplier organisation asking.
    pub organisation_id: Uuid,
    /// Its name.
    pub organisation: String,
    /// `requested`, `accepted` or `declined`.
    pub status: RequestStatus,
    /// What the supplier wrote.
    pub message: String,
    /// The buyer's reason or note.
    pub note: String,
    /// Sent (UTC).
    pub created_at: DateTime<Utc>,
    /// Decided (UTC).
    pub decided_at: Option<DateTime<Utc>>,
}

impl From<TenderRequest> for RequestBody {
    fn from(r: TenderRequest) -> Self {
        RequestBody {
            tender_id: r.tender_id,
            organisation_id: r.organisation_id,
            organisation: r.organisation_name,
            status: r.status,
            message: r.message,
            note: r.note,
            created_at: r.created_at,
            decided_at: r.decided_at,
        }
    }
}
