//! `POST /tenders/{id}/panel`: put a buyer member on the evaluation panel, or take them off.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::evaluation::PanelRole;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::get::{TenderRetry, tender_page};
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, sentence};
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// A panel change.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PanelForm {
    /// A member of the buyer organisation.
    pub user_id: String,
    /// `evaluator` or `moderator`.
    pub role: String,
    /// `add` (default) or `remove`.
    pub action: String,
}

/// Changes the panel (buyer admins); back to the tender's panel.
#[utoipa::path(post, path = "/tenders/{id}/panel", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = PanelForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Changed: to the tender; not signed in: to /login"),
        (status = 403, description = "Not a buyer admin", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "The tender is awarded or cancelled", content_type = "text/html"),
        (status = 422, description = "No member or role chosen, or not a member of the buyer; shown on the tender page", content_type = "text/html")))]
pub async fn change_panel_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<PanelForm>,
) -> Result<Response, PageError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Admin)?;
    let mut errors = FormErrors::default();
    let user = form.user_id.trim().parse::<Uuid>().ok();
    if user.is_none() {
        errors.add("panel-user_id", "Choose the member to put on the panel");
    }
    let role = PanelRole::parse(&form.role);
    if role.is_none() {
        errors.add("panel-role", "Choose evaluator or moderator");
    }
    let add = form.action.trim() != "remove";
    if let (Some(user), Some(role)) = (user, role) {
        match state
            .store()
            .set_panel_member(&caller.user.email, id, user, role, add)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!("/tenders/{id}#panel")).into_response());
            }
            Err(StoreError::Invalid(m)) => errors.add("panel-user_id", sentence(&m)),
            Err(StoreError::NotFound) => errors.add(
                "panel-user_id",
                format!("That person is not on the panel as {}", role.id()),
            ),
            Err(e) => return Err(AppError::from(e).into()),
        }
    }
    let retry = TenderRetry {
        panel_user: form.user_id,
        panel_role: form.role,
        errors,
        ..TenderRetry::default()
    };
    let page = tender_page(&state, &caller, access, retry).await?;
    Ok(show_again(page))
}
