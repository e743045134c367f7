//! `POST /projects/{id}/versions`: freeze the current report as a numbered version.

use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::platform::extract::PageForm;
use crate::sroi::calculator::{contents_for, report_of};
use crate::state::AppState;

/// The freeze form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FreezeForm {
    /// Optional name ("Board paper, March").
    pub label: String,
}

/// Freezes the report exactly as it is now (editors and admins).
#[utoipa::path(post, path = "/projects/{id}/versions", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = FreezeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Frozen: to the version's page"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html"),
        (status = 422, description = "Label too long, or the project cannot be calculated", content_type = "text/html")))]
pub async fn freeze_version(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<FreezeForm>,
) -> Result<Redirect, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    let report = report_of(&contents)?;
    let version = state
        .store()
        .freeze_report(&caller.user.email, id, &form.label, &report)
        .await?;
    Ok(Redirect::to(&format!(
        "/projects/{id}/versions/{}",
        version.number
    )))
}
