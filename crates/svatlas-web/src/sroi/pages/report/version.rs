//! `GET /projects/{id}/versions/{number}`: a frozen report, exactly as it was.

use axum::extract::{Path, State};
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::{ReportPage, VersionRow, can_edit, organisation_name};
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::views::Layout;
use crate::sroi::calculator::project_for;
use crate::sroi::report_view::ReportView;
use crate::state::AppState;

/// A frozen version of the report.
#[utoipa::path(get, path = "/projects/{id}/versions/{number}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("number" = i64, Path, description = "Version number")),
    responses(
        (status = 200, description = "The frozen report", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such project or version", content_type = "text/html")))]
pub async fn get_version(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, number)): Path<(Uuid, i64)>,
) -> Result<ReportPage, PageError> {
    let project = project_for(&state, &caller, id, Role::Viewer).await?;
    let (version, report) =
        state
            .store()
            .report_version(id, number)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    AppError::NotFound(format!("this project has no version {number}"))
                }
                other => other.into(),
            })?;
    let versions = state
        .store()
        .report_versions(id)
        .await
        .map_err(AppError::from)?;
    Ok(ReportPage {
        layout: Layout::new("sroi"),
        project_id: id,
        organisation: organisation_name(&caller, project.organisation_id),
        r: ReportView::new(&report),
        frozen: Some(VersionRow::from(&version)),
        versions: versions.iter().map(VersionRow::from).collect(),
        can_edit: can_edit(&caller, project.organisation_id),
        file_base: format!("/projects/{id}/versions/{number}/report"),
        pdf_available: crate::platform::PDF_AVAILABLE,
    })
}
