//! `POST /projects`: start a project.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::list::projects_page;
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::sroi::forms::DetailsForm;
use crate::state::AppState;

/// Creates a project in the chosen organisation (editors and admins) and opens it.
#[utoipa::path(post, path = "/projects", tag = "pages",
    request_body(content = DetailsForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Created: to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn create_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    PageForm(form): PageForm<DetailsForm>,
) -> Result<Response, PageError> {
    let editable: Vec<Uuid> = caller
        .memberships
        .iter()
        .filter(|m| m.role.at_least(Role::Editor))
        .map(|m| m.organisation_id)
        .collect();
    let chosen = form.organisation_id.trim().parse::<Uuid>().ok();
    let organisation = match (chosen, editable.as_slice()) {
        (Some(org), _) => {
            caller.require_role(org, Role::Editor)?;
            Some(org)
        }
        (None, [one]) => Some(*one),
        (None, []) => {
            return Err(AppError::Forbidden(
                "starting a project needs the editor or admin role in an organisation".into(),
            )
            .into());
        }
        (None, _) => None,
    };
    let parsed = form.parse();
    let (details, organisation) = match (parsed, organisation) {
        (Ok(d), Some(org)) => (d, org),
        (parsed, organisation) => {
            let mut errors = parsed.err().unwrap_or_default();
            if organisation.is_none() {
                errors.add(
                    "p-organisation_id",
                    "Choose the organisation that owns the project",
                );
            }
            let page = projects_page(&state, &caller, false, Some(form), errors).await?;
            return Ok(show_again(page));
        }
    };
    match state
        .store()
        .create_project(
            &caller.user.email,
            organisation,
            Some(caller.user.id),
            &details,
        )
        .await
    {
        Ok(p) => Ok(Redirect::to(&format!("/projects/{}", p.id)).into_response()),
        Err(e) => {
            let errors = FormErrors::from_store("p-name", e)?;
            let page = projects_page(&state, &caller, false, Some(form), errors).await?;
            Ok(show_again(page))
        }
    }
}
