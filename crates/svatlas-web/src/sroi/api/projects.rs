//! Calculator projects in the JSON API (Bearer tokens): create, list, read, add outcomes and
//! inputs, and the report as JSON, PDF, XLSX or CSV.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::{OutcomeEntry, ProjectDetails, ProjectMode};
use svatlas_domain::sroi::{Input, SroiResult};
use svatlas_store::projects::{EntryRecord, ProjectRecord};
use uuid::Uuid;

use crate::platform::auth::{ApiCaller, Caller};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiPath, ApiQuery};
use crate::sroi::calculator::{
    InputRequest, OutcomeRequest, ReportFile, contents_for, library_for, project_for,
    report_download, report_of,
};
use crate::state::AppState;

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

// `POST /api/v1/projects/{id}/inputs`: add an input.

/// Adds an input (value × volume in a year; leakage is recorded as local spend).
#[utoipa::path(post, path = "/api/v1/projects/{id}/inputs", tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body = InputRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = InputBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "No such project, or not the caller's organisation", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn add_input(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<InputRequest>,
) -> Result<(StatusCode, Json<InputBody>), AppError> {
    project_for(&state, &caller, id, Role::Editor).await?;
    let input = body.value.into_input()?;
    let stored = state
        .store()
        .add_input(&caller.user.email, id, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

// `POST /api/v1/projects/{id}/outcomes`: add an outcome.

/// Adds an outcome valued with a library proxy (`proxy_id`) or a custom value (`proxy_gbp`).
#[utoipa::path(post, path = "/api/v1/projects/{id}/outcomes", tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body = OutcomeRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = OutcomeBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "No such project, or not the caller's organisation", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn add_outcome(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<OutcomeRequest>,
) -> Result<(StatusCode, Json<OutcomeBody>), AppError> {
    let project = project_for(&state, &caller, id, Role::Editor).await?;
    let library = library_for(&state, project.organisation_id).await?;
    let entry = body
        .value
        .into_entry(&library, project.details.price_base_year)?;
    let stored = state
        .store()
        .add_outcome(&caller.user.email, id, &entry)
        .await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

// `POST /api/v1/projects`: create a project.

/// A new project.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
    /// Name (not blank).
    #[schema(pattern = r"\S")]
    pub name: String,
    /// `forecast` or `evaluative`.
    pub mode: ProjectMode,
    /// Owning organisation; needed only when the caller can edit in several.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// What the project does.
    #[serde(default)]
    pub description: String,
    /// Price base year (default: this year).
    #[serde(default)]
    #[schema(minimum = 1990, maximum = 2100)]
    pub price_base_year: Option<i32>,
    /// Start date, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(format = Date)]
    pub start_date: Option<String>,
    /// Area codes served.
    #[serde(default)]
    pub areas: Vec<String>,
    /// Deduct input leakage from the denominator (default false).
    #[serde(default)]
    pub deduct_input_leakage: bool,
}

/// Creates a project in the caller's organisation (editors and admins).
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects",
    request_body = CreateProject,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ProjectBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "organisation_id names an organisation the caller is not in", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn create_project(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: ApiJson<CreateProject>,
) -> Result<(StatusCode, Json<ProjectBody>), AppError> {
    let request = body.value;
    let organisation = caller.acting_organisation(
        request.organisation_id,
        "creating a project",
        "owns the project",
    )?;
    let details = ProjectDetails {
        name: request.name.trim().to_string(),
        description: request.description.trim().to_string(),
        mode: request.mode,
        start_date: request.start_date.filter(|d| !d.trim().is_empty()),
        price_base_year: request
            .price_base_year
            .unwrap_or_else(|| chrono::Utc::now().year()),
        areas: request.areas,
        deduct_input_leakage: request.deduct_input_leakage,
    };
    details.validate()?;
    let project = state
        .store()
        .create_project(
            &caller.user.email,
            organisation,
            Some(caller.user.id),
            &details,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(project.into())))
}

// `GET /api/v1/projects/{id}`: a project with its outcomes and inputs.

/// A project and its entries.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectWithEntries {
    /// The project.
    #[serde(flatten)]
    pub project: ProjectBody,
    /// Outcomes in order.
    pub outcomes: Vec<OutcomeBody>,
    /// Inputs in order.
    pub inputs: Vec<InputBody>,
}

/// Reads a project (any member of its organisation).
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The project", body = ProjectWithEntries),
        (status = 404, description = "No such project, or not the caller's organisation", body = ErrorBody)))]
pub async fn get_project(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ProjectWithEntries>, AppError> {
    let contents = contents_for(&state, &caller, id, Role::Viewer).await?;
    Ok(Json(ProjectWithEntries {
        project: contents.project.into(),
        outcomes: contents.outcomes.into_iter().map(Into::into).collect(),
        inputs: contents.inputs.into_iter().map(Into::into).collect(),
    }))
}

// `GET /api/v1/projects`: the caller's projects.

/// Query of the list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `true` to include archived projects.
    pub archived: Option<String>,
}

/// The caller's projects across their organisations.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectList {
    /// Newest change first.
    pub projects: Vec<ProjectBody>,
}

/// Lists the projects of every organisation the caller belongs to.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's projects", body = ProjectList)))]
pub async fn list_projects(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ProjectList>, AppError> {
    let include_archived = match query.archived.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(AppError::invalid(
                "invalid",
                "archived",
                "archived must be true or false",
            ));
        }
    };
    let organisations: Vec<Uuid> = caller
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    let projects = state
        .store()
        .projects_of(&organisations, include_archived)
        .await?
        .into_iter()
        .map(|s| s.project.into())
        .collect();
    Ok(Json(ProjectList { projects }))
}

// `GET /api/v1/projects/{id}/report`: the engine's result for the project's entries.

/// The same shape as `POST /api/v1/sroi/calculate`'s answer, plus the report's content hash.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectResult {
    /// The engine's figures.
    #[serde(flatten)]
    pub result: SroiResult,
    /// SHA-256 of the entries and engine version: the same hash, the same report.
    pub content_hash: String,
}

/// Calculates the project's report (any member).
#[utoipa::path(get, path = "/api/v1/projects/{id}/report", tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Figures as from POST /api/v1/sroi/calculate", body = ProjectResult),
        (status = 404, description = "No such project, or not the caller's organisation", body = ErrorBody)))]
pub async fn get_report(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ProjectResult>, AppError> {
    let contents = contents_for(&state, &caller, id, Role::Viewer).await?;
    let report = report_of(&contents)?;
    Ok(Json(ProjectResult {
        result: report.result,
        content_hash: report.content_hash,
    }))
}

// `GET /api/v1/projects/{id}/report.pdf|.xlsx|.csv`: the report as a file.

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
