//! `GET /partners/new` and `POST /partners`: an organisation registers its profile (editors
//! and admins; one profile per organisation).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::edit::{ProfileFormPage, check_form, kinds};
use super::forms::{Fields, ProfileForm, ProfileFormFields, cause_groups, errors_from};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::platform::views::Layout;
use crate::state::AppState;

/// (organisations the caller may register, profiles its organisations have).
async fn choices(
    state: &AppState,
    caller: &Caller,
) -> Result<(Vec<(Uuid, String)>, Vec<(Uuid, String)>), AppError> {
    let mut free = Vec::new();
    let mut existing = Vec::new();
    for m in &caller.memberships {
        match state
            .store()
            .profile_of_organisation(m.organisation_id)
            .await?
        {
            Some(p) => existing.push((p.id, p.details.name)),
            None if m.role.at_least(Role::Editor) => {
                free.push((m.organisation_id, m.organisation_name.clone()));
            }
            None => {}
        }
    }
    Ok((free, existing))
}

async fn new_page(
    state: &AppState,
    caller: &Caller,
    form: ProfileForm,
    errors: FormErrors,
) -> Result<ProfileFormPage, AppError> {
    let (organisations, existing) = choices(state, caller).await?;
    if organisations.is_empty() && existing.is_empty() {
        return Err(AppError::Forbidden(
            "registering a partner profile needs the editor or admin role in an organisation"
                .into(),
        ));
    }
    Ok(ProfileFormPage {
        layout: Layout::signed_in("partners", caller),
        heading: "Register your organisation as a partner".into(),
        action: "/partners".into(),
        is_new: true,
        back_href: String::new(),
        back_name: String::new(),
        organisations,
        existing,
        cause_groups: cause_groups(&form.causes),
        form,
        needs: Vec::new(),
        kinds: kinds(),
        errors,
    })
}

/// The registration form.
#[utoipa::path(get, path = "/partners/new", tag = "pages",
    responses(
        (status = 200, description = "The registration form", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 403, description = "No organisation where the caller is an editor or admin", content_type = "text/html")))]
pub async fn new_partner_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
) -> Result<ProfileFormPage, PageError> {
    let form = ProfileForm {
        published: true,
        ..ProfileForm::default()
    };
    Ok(new_page(&state, &caller, form, FormErrors::default()).await?)
}

/// Registers the profile and opens it; then add needs on its edit page.
#[utoipa::path(post, path = "/partners", tag = "pages",
    request_body(content = ProfileFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Registered: to the profile"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "organisation_id names an organisation the caller is not in", content_type = "text/html"),
        (status = 409, description = "The organisation has a profile already", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn create_partner_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = ProfileForm::from_fields(&Fields::new(pairs));
    let (free, _) = choices(&state, &caller).await?;
    let chosen = form.organisation_id.trim().parse::<Uuid>().ok();
    let organisation = match (chosen, free.as_slice()) {
        (Some(org), _) => {
            caller.require_role(org, Role::Editor)?;
            Some(org)
        }
        (None, [(one, _)]) => Some(*one),
        (None, []) => {
            if caller
                .memberships
                .iter()
                .any(|m| m.role.at_least(Role::Editor))
            {
                return Err(AppError::Conflict(
                    "your organisation has a profile already: change that one instead".into(),
                )
                .into());
            }
            return Err(AppError::Forbidden(
                "registering a partner profile needs the editor or admin role in an organisation"
                    .into(),
            )
            .into());
        }
        (None, _) => None,
    };
    let checked = check_form(&state, &form);
    let (details, organisation) = match (checked, organisation) {
        (Ok(d), Some(org)) => (d, org),
        (checked, organisation) => {
            let mut errors = match checked {
                Ok(_) => FormErrors::default(),
                Err(e) => e?,
            };
            if organisation.is_none() {
                errors.add(
                    "f-organisation_id",
                    "Choose the organisation the profile is for",
                );
            }
            let page = new_page(&state, &caller, form, errors).await?;
            return Ok(show_again(page));
        }
    };
    match state
        .store()
        .create_profile(
            &caller.user.email,
            organisation,
            Some(caller.user.id),
            &details,
        )
        .await
    {
        Ok(p) => Ok(Redirect::to(&format!("/partners/{}", p.id)).into_response()),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors_from("f-", e, &mut errors)?;
            let page = new_page(&state, &caller, form, errors).await?;
            Ok(show_again(page))
        }
    }
}
