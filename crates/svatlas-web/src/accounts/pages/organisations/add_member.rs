//! `POST /organisations/{id}/members`: an admin adds a member, creating their account if
//! they have none.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::{Email, NewPassword, Role};
use svatlas_store::StoreError;
use svatlas_store::accounts::NewUser;
use uuid::Uuid;

use crate::accounts::pages::organisations::{AddMemberValues, OrganisationPage, organisation_id};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, sentence};
use crate::state::AppState;

/// The add-member form as sent.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AddMemberForm {
    /// Email address of the person to add.
    pub email: String,
    /// `admin`, `editor` or `viewer`.
    pub role: String,
    /// Full name, only when they have no account yet.
    pub name: String,
    /// First password, only when they have no account yet.
    pub password: String,
}

/// Adds a member (admins only). Someone with an account joins with the role; for an email
/// address without an account, a name and a first password create one.
#[utoipa::path(post, path = "/organisations/{id}/members", tag = "accounts",
    params(("id" = String, Path, description = "Organisation id")),
    request_body(content = AddMemberForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Added: to `/organisations/{id}?done=added`"),
        (status = 403, description = "You are not an admin of the organisation", content_type = "text/html"),
        (status = 404, description = "No such organisation, or you are not a member", content_type = "text/html"),
        (status = 422, description = "A field is missing or refused", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn add_member(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    PageForm(form): PageForm<AddMemberForm>,
) -> Result<Response, PageError> {
    let organisation = organisation_id(&id)?;
    caller.require_role(organisation, Role::Admin)?;
    match add(&state, &caller, organisation, &form).await? {
        Ok(()) => {
            Ok(Redirect::to(&format!("/organisations/{organisation}?done=added")).into_response())
        }
        Err(errors) => {
            let mut page = OrganisationPage::load(&state, &caller, organisation, errors).await?;
            page.form = AddMemberValues {
                email: form.email,
                name: form.name,
                role: form.role,
            };
            Ok(show_again(page))
        }
    }
}

/// Adds the member, or says what is wrong with the form.
async fn add(
    state: &AppState,
    caller: &Caller,
    organisation: Uuid,
    form: &AddMemberForm,
) -> Result<Result<(), FormErrors>, AppError> {
    let store = state.store();
    let actor = caller.user.email.as_str();
    let mut errors = FormErrors::default();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.add("member_email", sentence(&e.to_string())))
        .ok();
    let role = Role::parse(&form.role)
        .map_err(|e| errors.add("member_role", sentence(&e.to_string())))
        .ok();
    let (Some(email), Some(role)) = (email, role) else {
        return Ok(Err(errors));
    };
    match store.user_by_email(&email).await {
        Ok(user) => match store
            .add_membership(actor, organisation, user.id, role)
            .await
        {
            Ok(()) => Ok(Ok(())),
            Err(StoreError::Duplicate(_)) => Ok(Err(FormErrors::one(
                "member_email",
                format!("{email} is already a member of this organisation"),
            ))),
            Err(e) => Err(e.into()),
        },
        Err(StoreError::NotFound) => {
            if form.name.trim().is_empty() {
                errors.add(
                    "member_name",
                    "No account has this email address yet: enter their full name to create one",
                );
            }
            let password = if form.password.is_empty() {
                errors.add(
                    "member_password",
                    "No account has this email address yet: enter a first password for it",
                );
                None
            } else {
                NewPassword::parse(&form.password)
                    .map_err(|e| errors.add("member_password", sentence(&e.to_string())))
                    .ok()
            };
            let Some(password) = password.filter(|_| errors.is_empty()) else {
                return Ok(Err(errors));
            };
            let organisation_name = store.organisation_by_id(organisation).await?.name;
            let new = NewUser {
                email: &email,
                name: &form.name,
                password: &password,
                organisation: &organisation_name,
                role,
            };
            match store.create_user(actor, &new).await {
                Ok(_) => Ok(Ok(())),
                Err(StoreError::Duplicate(message)) => {
                    Ok(Err(FormErrors::one("member_email", sentence(&message))))
                }
                Err(StoreError::Invalid(message)) => {
                    Ok(Err(FormErrors::one("member_name", sentence(&message))))
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}
