//! `GET /api/v1/projects/{id}/report.pdf|.xlsx|.csv`: the report as a file.

use axum::extract::State;
use axum::response::Response;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use crate::platform::auth::{ApiCaller, Caller};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::sroi::calculator::{ReportFile, contents_for, report_download, report_of};
use crate::state::AppState;

async fn file(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    format: ReportFile,
) -> Result<Response, AppError> {
    let contents = contents_for(state, caller, id, Role::Viewer).await?;
    let report = report_of(&contents)?;
    let organisation = caller
        .memberships
        .iter()
        .find(|m| m.organisation_id == contents.project.organisation_id)
        .map(|m| m.organisation_name.clone())
        .unwrap_or_default();
    report_download(report, organisation, None, format).await
}

/// The report as PDF (A4, fonts embedded).
#[utoipa::path(get, path = "/api/v1/projects/{id}/report.pdf", tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "PDF report", content_type = "application/pdf", body = Vec<u8>),
        (status = 404, description = "No such project, or not the caller's organisation", body = ErrorBody),
        (status = 501, description = "This build has no PDF reports (built without the `pdf` feature): download the XLSX or CSV report", body = ErrorBody)))]
pub async fn get_report_pdf(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, AppError> {
    file(&state, &caller, id, ReportFile::Pdf).await
}

/// The report as an Excel workbook (inputs, outcomes with live formulas, per year, results).
#[utoipa::path(get, path = "/api/v1/projects/{id}/report.xlsx", tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "XLSX report", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 404, description = "No such project, or not the caller's organisation", body = ErrorBody)))]
pub async fn get_report_xlsx(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, AppError> {
    file(&state, &caller, id, ReportFile::Xlsx).await
}

/// The report's outcomes as CSV, with the headline figures in `#` lines.
#[utoipa::path(get, path = "/api/v1/projects/{id}/report.csv", tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "CSV report", content_type = "text/csv", body = String),
        (status = 404, description = "No such project, or not the caller's organisation", body = ErrorBody)))]
pub async fn get_report_csv(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, AppError> {
    file(&state, &caller, id, ReportFile::Csv).await
}
