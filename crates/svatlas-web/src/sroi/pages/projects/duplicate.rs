//! `POST /projects/{id}/duplicate`: copy a project with its outcomes and inputs.

use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::platform::extract::PageForm;
use crate::sroi::calculator::project_for;
use crate::state::AppState;

/// The duplicate form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DuplicateForm {
    /// Name of the copy (default: "Copy of ...").
    pub name: String,
}

/// Copies the project (editors and admins) and opens the copy.
#[utoipa::path(post, path = "/projects/{id}/duplicate", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = DuplicateForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Copied: to the copy"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html")))]
pub async fn duplicate_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<DuplicateForm>,
) -> Result<Redirect, PageError> {
    let project = project_for(&state, &caller, id, Role::Editor).await?;
    let name = if form.name.trim().is_empty() {
        format!("Copy of {}", project.details.name)
    } else {
        form.name.trim().to_string()
    };
    let copy = state
        .store()
        .duplicate_project(&caller.user.email, id, Some(caller.user.id), &name)
        .await?;
    Ok(Redirect::to(&format!("/projects/{}", copy.id)))
}
