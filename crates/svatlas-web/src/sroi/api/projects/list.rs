//! `GET /api/v1/projects`: the caller's projects.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ProjectBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::AppError;
use crate::platform::extract::ApiQuery;
use crate::state::AppState;

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
