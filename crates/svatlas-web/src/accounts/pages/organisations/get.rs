//! `GET /organisations/{id}`: an organisation's members.

use axum::extract::{Path, State};
use serde::Deserialize;

use crate::accounts::pages::organisations::{OrganisationPage, organisation_id};
use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::views::FormErrors;
use crate::state::AppState;

/// What just happened (set by the redirects after a change).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// `added`, `role` or `removed`.
    pub done: Option<String>,
}

/// The organisation's members and roles, for its members; admins also get forms to add
/// members, change roles and remove members. 404 for anyone else.
#[utoipa::path(get, path = "/organisations/{id}", tag = "accounts",
    params(("id" = String, Path, description = "Organisation id"), OrganisationQuery),
    responses(
        (status = 200, description = "Members and roles", content_type = "text/html"),
        (status = 303, description = "Not signed in: to `/login`"),
        (status = 404, description = "No such organisation, or you are not a member", content_type = "text/html")))]
pub async fn get_organisation(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    PageQuery(query): PageQuery<OrganisationQuery>,
) -> Result<OrganisationPage, PageError> {
    let organisation = organisation_id(&id)?;
    let mut page =
        OrganisationPage::load(&state, &caller, organisation, FormErrors::default()).await?;
    page.notice = match query.done.as_deref() {
        Some("added") => Some("The member has been added"),
        Some("role") => Some("The member's role has been changed"),
        Some("removed") => Some("The member has been removed"),
        _ => None,
    };
    Ok(page)
}
