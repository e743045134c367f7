//! `GET /api/v1/projects/{id}/report`: the engine's result for the project's entries.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::sroi::SroiResult;
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::sroi::calculator::{contents_for, report_of};
use crate::state::AppState;

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
