//! `GET /projects/{id}`: a project with its outcomes and inputs, and the forms to add more.

use axum::extract::{Path, State};
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::{ProjectPage, Retry, project_page};
use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::sroi::calculator::contents_for;
use crate::state::AppState;

/// The project workspace.
#[utoipa::path(get, path = "/projects/{id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, description = "The project", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html")))]
pub async fn get_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<ProjectPage, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Viewer).await?;
    Ok(project_page(&state, &caller, contents, Retry::default()).await?)
}
