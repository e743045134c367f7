//! `GET /projects/{id}/report.pdf|.xlsx|.csv` (signed-in pages) and the same for a frozen
//! version, `GET /projects/{id}/versions/{number}/report.pdf|.xlsx|.csv`.

use axum::extract::{Path, State};
use axum::response::Response;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::organisation_name;
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::sroi::calculator::{ReportFile, contents_for, project_for, report_download, report_of};
use crate::state::AppState;

async fn current(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    format: ReportFile,
) -> Result<Response, PageError> {
    let contents = contents_for(state, caller, id, Role::Viewer).await?;
    let report = report_of(&contents)?;
    let organisation = organisation_name(caller, contents.project.organisation_id);
    Ok(report_download(report, organisation, None, format).await?)
}

async fn frozen(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    number: i64,
    format: ReportFile,
) -> Result<Response, PageError> {
    let project = project_for(state, caller, id, Role::Viewer).await?;
    let (version, report) =
        state
            .store()
            .report_version(id, number)
            .await
            .map_err(|e| match e {
                svatlas_store::StoreError::NotFound => {
                    AppError::NotFound(format!("this project has no version {number}"))
                }
                other => other.into(),
            })?;
    let organisation = organisation_name(caller, project.organisation_id);
    let label = if version.label.is_empty() {
        format!("Version {}", version.number)
    } else {
        format!("Version {}: {}", version.number, version.label)
    };
    Ok(report_download(report, organisation, Some(label), format).await?)
}

macro_rules! report_files {
    ($($name:ident, $frozen_name:ident, $format:expr, $ext:literal, $what:literal, [$($more:tt)*];)*) => {$(
        #[doc = concat!("The current report as ", $what, ".")]
        #[utoipa::path(get, path = concat!("/projects/{id}/report.", $ext), tag = "pages",
            params(("id" = Uuid, Path, description = "Project id")),
            responses(
                (status = 200, description = $what),
                (status = 303, description = "Not signed in: to /login"),
                (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html")
                $($more)*))]
        pub async fn $name(
            State(state): State<AppState>,
            PageCaller(caller): PageCaller,
            Path(id): Path<Uuid>,
        ) -> Result<Response, PageError> {
            current(&state, &caller, id, $format).await
        }

        #[doc = concat!("A frozen version of the report as ", $what, ".")]
        #[utoipa::path(get, path = concat!("/projects/{id}/versions/{number}/report.", $ext), tag = "pages",
            params(("id" = Uuid, Path, description = "Project id"), ("number" = i64, Path, description = "Version number")),
            responses(
                (status = 200, description = $what),
                (status = 303, description = "Not signed in: to /login"),
                (status = 404, description = "No such project or version", content_type = "text/html")
                $($more)*))]
        pub async fn $frozen_name(
            State(state): State<AppState>,
            PageCaller(caller): PageCaller,
            Path((id, number)): Path<(Uuid, i64)>,
        ) -> Result<Response, PageError> {
            frozen(&state, &caller, id, number, $format).await
        }
    )*};
}

report_files! {
    get_report_pdf_page, get_version_pdf_page, ReportFile::Pdf, "pdf", "PDF",
        [, (status = 501, description = "This build has no PDF reports (built without the `pdf` feature)", content_type = "text/html")];
    get_report_xlsx_page, get_version_xlsx_page, ReportFile::Xlsx, "xlsx", "an Excel workbook", [];
    get_report_csv_page, get_version_csv_page, ReportFile::Csv, "csv", "CSV", [];
}
