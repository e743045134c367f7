//! `POST /projects/{id}`: change a project's details.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::{Retry, project_page};
use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::sroi::calculator::contents_for;
use crate::sroi::forms::DetailsForm;
use crate::state::AppState;

/// Saves the details form (editors and admins).
#[utoipa::path(post, path = "/projects/{id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = DetailsForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Saved: back to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html"),
        (status = 422, description = "The form has problems", content_type = "text/html")))]
pub async fn update_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<DetailsForm>,
) -> Result<Response, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    match form.parse() {
        Ok(details) => {
            state
                .store()
                .update_project(&caller.user.email, id, &details)
                .await?;
            Ok(Redirect::to(&format!("/projects/{id}")).into_response())
        }
        Err(errors) => {
            let retry = Retry {
                details: Some(form),
                errors,
                ..Retry::default()
            };
            let page = project_page(&state, &caller, contents, retry).await?;
            Ok(show_again(page))
        }
    }
}
