//! A project's report as a page, as files, and its frozen versions.

pub mod compare;
pub mod file;
pub mod freeze;
pub mod get;
pub mod version;

use askama::Template;
use askama_web::WebTemplate;
use svatlas_domain::accounts::Role;
use svatlas_store::projects::ReportVersion;
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::views::Layout;
use crate::platform::views::when;
use crate::sroi::report_view::ReportView;

/// A frozen version as listed on the report page.
pub struct VersionRow {
    pub number: i64,
    pub label: String,
    pub created: String,
    pub created_by: Option<String>,
    pub short_hash: String,
}

impl From<&ReportVersion> for VersionRow {
    fn from(v: &ReportVersion) -> Self {
        VersionRow {
            number: v.number,
            label: v.label.clone(),
            created: when(&v.created_at),
            created_by: v.created_by.clone(),
            short_hash: v.content_hash.chars().take(12).collect(),
        }
    }
}

/// The report page (current or frozen).
#[derive(Template, WebTemplate)]
#[template(path = "sroi/projects/report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub project_id: Uuid,
    pub organisation: String,
    pub r: ReportView,
    /// The frozen version shown, when this is one.
    pub frozen: Option<VersionRow>,
    pub versions: Vec<VersionRow>,
    pub can_edit: bool,
    /// Download links: `<file_base>.pdf` etc.
    pub file_base: String,
    /// Whether to offer the PDF ([`crate::platform::PDF_AVAILABLE`]).
    pub pdf_available: bool,
}

/// The caller's name for the organisation (they are a member: checked before).
pub(crate) fn organisation_name(caller: &Caller, organisation: Uuid) -> String {
    caller
        .memberships
        .iter()
        .find(|m| m.organisation_id == organisation)
        .map(|m| m.organisation_name.clone())
        .unwrap_or_default()
}

/// Whether the caller may change things in the organisation.
pub(crate) fn can_edit(caller: &Caller, organisation: Uuid) -> bool {
    caller
        .role_in(organisation)
        .is_some_and(|r| r.at_least(Role::Editor))
}
