//! `POST /organisations/{id}/members/{user_id}`: an admin changes a member's role or removes
//! them.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use uuid::Uuid;

use crate::accounts::pages::organisations::{OrganisationPage, organisation_id};
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, sentence};
use crate::state::AppState;

/// The member form as sent.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ChangeMemberForm {
    /// `role` (give the member `role`) or `remove` (take them out of the organisation).
    pub action: String,
    /// The new role, for `action=role`.
    pub role: String,
}

/// Changes a member's role or removes them (admins only). The last admin can be neither
/// demoted nor removed.
#[utoipa::path(post, path = "/organisations/{id}/members/{user_id}", tag = "accounts",
    params(("id" = String, Path, description = "Organisation id"),
           ("user_id" = String, Path, description = "The member's user id")),
    request_body(content = ChangeMemberForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done: back to the organisation (to `/account` when you removed yourself)"),
        (status = 403, description = "You are not an admin of the organisation", content_type = "text/html"),
        (status = 404, description = "No such organisation or member", content_type = "text/html"),
        (status = 422, description = "Unknown role or action, or the last admin would go", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn change_member(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, user_id)): Path<(String, String)>,
    PageForm(form): PageForm<ChangeMemberForm>,
) -> Result<Response, PageError> {
    let organisation = organisation_id(&id)?;
    caller.require_role(organisation, Role::Admin)?;
    let not_member =
        || AppError::NotFound("that person is not a member of this organisation".into());
    let member = Uuid::parse_str(&user_id).map_err(|_| not_member())?;
    let field = format!("role-{member}");
    let actor = caller.user.email.as_str();
    let store = state.store();
    let done = match form.action.as_str() {
        "role" => match Role::parse(&form.role) {
            Ok(role) => store
                .set_member_role(actor, organisation, member, role)
                .await
                .map(|()| "role"),
            Err(e) => Err(StoreError::Invalid(e.to_string())),
        },
        "remove" => store
            .remove_membership(actor, organisation, member)
            .await
            .map(|()| "removed"),
        _ => {
            return Err(AppError::invalid(
                "invalid_action",
                "action",
                "action must be role or remove",
            )
            .into());
        }
    };
    match done {
        Ok("removed") if member == caller.user.id => Ok(Redirect::to("/account").into_response()),
        Ok(done) => {
            Ok(Redirect::to(&format!("/organisations/{organisation}?done={done}")).into_response())
        }
        Err(StoreError::NotFound) => Err(not_member().into()),
        Err(e @ (StoreError::LastAdmin | StoreError::Invalid(_))) => {
            let errors = FormErrors::one(field, sentence(&e.to_string()));
            let page = OrganisationPage::load(&state, &caller, organisation, errors).await?;
            Ok(show_again(page))
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
