//! `GET /api/v1/projects/{id}`: a project with its outcomes and inputs.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::{InputBody, OutcomeBody, ProjectBody};
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::sroi::calculator::contents_for;
use crate::state::AppState;

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
