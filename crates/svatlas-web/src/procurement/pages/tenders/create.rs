//! `POST /tenders`: create a draft tender from the form.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::forms::{Fields, TenderForm, TenderFormFields};
use super::list::tenders_page;
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::state::AppState;

/// Creates a draft tender in the chosen organisation (editors and admins) and opens it.
#[utoipa::path(post, path = "/tenders", tag = "pages",
    request_body(content = TenderFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Created (draft): to the tender; not signed in: to /login"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "organisation_id names an organisation the caller is not in", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn create_tender_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = TenderForm::from_fields(&Fields::new(pairs));
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
                "creating a tender needs the editor or admin role in an organisation".into(),
            )
            .into());
        }
        (None, _) => None,
    };
    let (details, organisation) = match (form.parse(), organisation) {
        (Ok(d), Some(org)) => (d, org),
        (parsed, organisation) => {
            let mut errors = FormErrors::default();
            if organisation.is_none() {
                errors.add(
                    "t-organisation_id",
                    "Choose the organisation that buys: you can edit in several",
                );
            }
            errors.0.extend(parsed.err().unwrap_or_default().0);
            let page = tenders_page(&state, &caller, Some(form), errors).await?;
            return Ok(show_again(page));
        }
    };
    match state
        .store()
        .create_tender(
            &caller.user.email,
            organisation,
            Some(caller.user.id),
            &details,
        )
        .await
    {
        Ok(t) => Ok(Redirect::to(&format!("/tenders/{}", t.id)).into_response()),
        Err(e) => {
            let errors = FormErrors::from_store("t-title", e)?;
            let page = tenders_page(&state, &caller, Some(form), errors).await?;
            Ok(show_again(page))
        }
    }
}
