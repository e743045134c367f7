//! `POST /tenders/{id}/status`: open a tender, close it for evaluation, or cancel it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::tender::TenderStatus;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// The status to move to.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatusForm {
    /// `open` (from draft), `evaluation` (from open: bids close) or `cancelled`.
    pub status: String,
}

/// Moves a tender on (buyer editors and admins); back to the tender.
#[utoipa::path(post, path = "/tenders/{id}/status", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = StatusForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Moved: to the tender; not signed in: to /login"),
        (status = 403, description = "Not a buyer editor", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "That move is not possible from the current status", content_type = "text/html"),
        (status = 422, description = "Unknown status", content_type = "text/html")))]
pub async fn change_status_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    let next = TenderStatus::parse(form.status.trim()).ok_or_else(|| {
        AppError::invalid("invalid", "status", "choose open, evaluation or cancelled")
    })?;
    state
        .store()
        .set_tender_status(&caller.user.email, id, next)
        .await?;
    Ok(Redirect::to(&format!("/tenders/{id}")).into_response())
}
