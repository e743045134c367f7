//! `POST /projects/{id}/archive`: archive or restore a project.

use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::sroi::calculator::project_for;
use crate::state::AppState;

/// The archive form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ArchiveForm {
    /// `archive` or `restore`.
    pub action: String,
}

/// Archives (hides from your list) or restores a project (editors and admins).
#[utoipa::path(post, path = "/projects/{id}/archive", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = ArchiveForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done: back to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html"),
        (status = 422, description = "action is neither archive nor restore", content_type = "text/html")))]
pub async fn archive_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<ArchiveForm>,
) -> Result<Redirect, PageError> {
    project_for(&state, &caller, id, Role::Editor).await?;
    let archived = match form.action.as_str() {
        "archive" => true,
        "restore" => false,
        _ => {
            return Err(AppError::invalid(
                "invalid",
                "action",
                "action must be archive or restore",
            )
            .into());
        }
    };
    state
        .store()
        .set_project_archived(&caller.user.email, id, archived)
        .await
        .map_err(AppError::from)?;
    Ok(Redirect::to(&format!("/projects/{id}")))
}
