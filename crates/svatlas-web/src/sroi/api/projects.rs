//! Calculator projects in the JSON API (Bearer tokens): create, list, read, add outcomes and
//! inputs, and the report as JSON, PDF, XLSX or CSV.

pub mod add_input;
pub mod add_outcome;
pub mod create;
pub mod get;
pub mod list;
pub mod report;
pub mod report_file;

use chrono::{DateTime, Utc};
use serde::Serialize;
use svatlas_domain::calculator::{OutcomeEntry, ProjectDetails};
use svatlas_domain::sroi::Input;
use svatlas_store::projects::{EntryRecord, ProjectRecord};
use uuid::Uuid;

/// A project as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectBody {
    /// Project id.
    pub id: Uuid,
    /// Owning organisation.
    pub organisation_id: Uuid,
    /// Settings: name, description, mode, start_date, price_base_year, areas, deduct_input_leakage.
    #[serde(flatten)]
    pub details: ProjectDetails,
    /// Whether the project is archived.
    pub archived: bool,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<ProjectRecord> for ProjectBody {
    fn from(p: ProjectRecord) -> Self {
        ProjectBody {
            id: p.id,
            organisation_id: p.organisation_id,
            details: p.details,
            archived: p.archived_at.is_some(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A stored outcome: its id and the entry.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutcomeBody {
    /// Outcome id.
    pub id: Uuid,
    /// The outcome.
    #[serde(flatten)]
    pub outcome: OutcomeEntry,
}

impl From<EntryRecord<OutcomeEntry>> for OutcomeBody {
    fn from(r: EntryRecord<OutcomeEntry>) -> Self {
        OutcomeBody {
            id: r.id,
            outcome: r.entry,
        }
    }
}

/// A stored input: its id, the input and its amount (value × volume).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InputBody {
    /// Input id.
    pub id: Uuid,
    /// The input.
    #[serde(flatten)]
    pub input: Input,
    /// `value × volume`, £.
    pub amount: f64,
}

impl From<EntryRecord<Input>> for InputBody {
    fn from(r: EntryRecord<Input>) -> Self {
        InputBody {
            id: r.id,
            amount: r.entry.amount(),
            input: r.entry,
        }
    }
}
