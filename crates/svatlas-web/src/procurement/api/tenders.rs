//! Tenders in the JSON API (Bearer tokens): the buyer sets one up, invites suppliers, names
//! its evaluation panel, opens and closes it, reads the ranked results and awards it; invited
//! suppliers read it and write, submit or withdraw their bid. Rules: `crate::procurement::access`.

pub mod award;
pub mod bid;
pub mod bid_file;
pub mod bids;
pub mod create;
pub mod get;
pub mod invite;
pub mod list;
pub mod panel;
pub mod results;
pub mod scores;
pub mod status;
pub mod submit_bid;
pub mod update;

use chrono::{DateTime, Utc};
use serde::Serialize;
use svatlas_domain::procurement::bid::{BidDetails, BidStatus, ValueKind};
use svatlas_domain::procurement::evaluation::PanelRole;
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus, TenderWarning};
use svatlas_store::procurement::{BidRecord, TenderRecord};
use uuid::Uuid;

/// A tender as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TenderBody {
    /// Tender id.
    pub id: Uuid,
    /// The buyer organisation.
    pub organisation_id: Uuid,
    /// The buyer's name.
    pub buyer: String,
    /// `draft`, `open`, `evaluation`, `awarded` or `cancelled`.
    pub status: TenderStatus,
    /// Settings.
    #[serde(flatten)]
    pub details: TenderDetails,
    /// Sum of the quality questions' weights, percent.
    pub quality_weight: f64,
    /// Sum of the social value questions' weights (`W_sv`), percent.
    pub social_value_weight: f64,
    /// Warnings about the settings (e.g. `W_sv` above 30%).
    pub warnings: Vec<TenderWarning>,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<TenderRecord> for TenderBody {
    fn from(t: TenderRecord) -> Self {
        TenderBody {
            id: t.id,
            organisation_id: t.organisation_id,
            buyer: t.organisation_name,
            status: t.status,
            quality_weight: t.details.quality_weight(),
            social_value_weight: t.details.social_value_weight(),
            warnings: t.details.warnings(),
            details: t.details,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// An estimated value of one kind (kinds are never added together).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EstimatedValue {
    /// `wellbeing`, `fiscal` or `economic`.
    pub kind: ValueKind,
    /// Sum of the bidder's estimates of that kind, £ (an estimate).
    pub estimated_gbp: f64,
}

/// A bid as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BidBody {
    /// Bid id.
    pub id: Uuid,
    /// The tender.
    pub tender_id: Uuid,
    /// The supplier organisation.
    pub organisation_id: Uuid,
    /// The supplier's name.
    pub supplier: String,
    /// `draft`, `submitted` or `withdrawn`.
    pub status: BidStatus,
    /// Price, answers and commitments.
    #[serde(flatten)]
    pub details: BidDetails,
    /// The bidder's monetised estimates by kind, labelled estimates, never one total.
    pub estimated_values: Vec<EstimatedValue>,
    /// When submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<BidRecord> for BidBody {
    fn from(b: BidRecord) -> Self {
        BidBody {
            id: b.id,
            tender_id: b.tender_id,
            organisation_id: b.organisation_id,
            supplier: b.organisation_name,
            status: b.status,
            estimated_values: b
                .details
                .estimated_value_by_kind()
                .into_iter()
                .map(|(kind, estimated_gbp)| EstimatedValue {
                    kind,
                    estimated_gbp,
                })
                .collect(),
            details: b.details,
            submitted_at: b.submitted_at,
            updated_at: b.updated_at,
        }
    }
}

/// A panel member.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PanelBody {
    /// User id.
    pub user_id: Uuid,
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// `evaluator` or `moderator`.
    pub role: PanelRole,
}

impl From<svatlas_store::procurement::PanelMember> for PanelBody {
    fn from(m: svatlas_store::procurement::PanelMember) -> Self {
        PanelBody {
            user_id: m.user_id,
            name: m.name,
            email: m.email,
            role: m.role,
        }
    }
}
