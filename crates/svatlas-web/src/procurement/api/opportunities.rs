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
use uuid::Uuid;

/// Opportunities per page.
pub const PER_PAGE: usize = 20;

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
