//! `GET /projects/{id}/report`: the report page.

use axum::extract::{Path, State};
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::{ReportPage, VersionRow, can_edit, organisation_name};
use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::platform::views::Layout;
use crate::sroi::calculator::{contents_for, report_of};
use crate::sroi::report_view::ReportView;
use crate::state::AppState;

/// The project's report: headline return, outcomes by component, per year, sensitivity,
/// sources, downloads and versions.
#[utoipa::path(get, path = "/projects/{id}/report", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, description = "Report page", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html")))]
pub async fn get_report_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<ReportPage, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Viewer).await?;
    let report = report_of(&contents)?;
    let organisation = contents.project.organisation_id;
    let versions = state
        .store()
        .report_versions(id)
        .await
        .map_err(crate::platform::error::AppError::from)?;
    Ok(ReportPage {
        layout: Layout::new("sroi"),
        project_id: id,
        organisation: organisation_name(&caller, organisation),
        r: ReportView::new(&report),
        frozen: None,
        versions: versions.iter().map(VersionRow::from).collect(),
        can_edit: can_edit(&caller, organisation),
        file_base: format!("/projects/{id}/report"),
        pdf_available: crate::platform::PDF_AVAILABLE,
    })
}
