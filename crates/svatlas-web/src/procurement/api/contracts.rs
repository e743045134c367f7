//! Contracts in the JSON API: KPIs from the winning bid, delivery claims reported by the
//! supplier and reviewed by the buyer, and the progress figures (only verified delivery
//! counts as delivered). Rules: `crate::procurement::access`.

pub mod add_claim;
pub mod amend_claim;
pub mod get;
pub mod list;
pub mod report;
pub mod review_claim;
pub mod spend;

use chrono::{DateTime, Utc};
use serde::Serialize;
use svatlas_domain::procurement::delivery::{ClaimDetails, ClaimStatus, Kpi};
use svatlas_store::procurement::{ClaimRecord, ContractRecord};
use uuid::Uuid;

/// A contract as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractBody {
    /// Contract id.
    pub id: Uuid,
    /// The tender awarded.
    pub tender_id: Uuid,
    /// The winning bid.
    pub bid_id: Uuid,
    /// Buyer organisation.
    pub buyer_organisation_id: Uuid,
    /// Buyer's name.
    pub buyer: String,
    /// Supplier organisation.
    pub supplier_organisation_id: Uuid,
    /// Supplier's name.
    pub supplier: String,
    /// Title.
    pub title: String,
    /// KPIs from the winning bid's commitments.
    pub kpis: Vec<Kpi>,
    /// When awarded.
    pub created_at: DateTime<Utc>,
}

impl From<ContractRecord> for ContractBody {
    fn from(c: ContractRecord) -> Self {
        ContractBody {
            id: c.id,
            tender_id: c.tender_id,
            bid_id: c.bid_id,
            buyer_organisation_id: c.buyer_organisation_id,
            buyer: c.buyer_name,
            supplier_organisation_id: c.supplier_organisation_id,
            supplier: c.supplier_name,
            title: c.title,
            kpis: c.kpis,
            created_at: c.created_at,
        }
    }
}

/// A delivery claim as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClaimBody {
    /// Claim id.
    pub id: Uuid,
    /// `reported`, `verified`, `queried` or `rejected`.
    pub status: ClaimStatus,
    /// What was reported.
    #[serde(flatten)]
    pub details: ClaimDetails,
    /// The buyer's note on the last review.
    pub review_note: Option<String>,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// When.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Who reported it.
    pub reported_by: Option<String>,
    /// When reported.
    pub created_at: DateTime<Utc>,
}

impl From<ClaimRecord> for ClaimBody {
    fn from(c: ClaimRecord) -> Self {
        ClaimBody {
            id: c.id,
            status: c.status,
            details: c.details,
            review_note: c.review_note,
            reviewed_by: c.reviewed_by,
            reviewed_at: c.reviewed_at,
            reported_by: c.created_by,
            created_at: c.created_at,
        }
    }
}
