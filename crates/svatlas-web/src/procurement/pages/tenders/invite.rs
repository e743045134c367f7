//! `POST /tenders/{id}/invitations`: invite a supplier organisation to bid.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::get::{TenderRetry, tender_page};
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// The supplier to invite.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InviteForm {
    /// The supplier organisation's id (shown to its members on their organisation page).
    pub organisation_id: String,
}

/// Invites a supplier (buyer editors and admins); back to the tender's supplier list.
#[utoipa::path(post, path = "/tenders/{id}/invitations", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = InviteForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Invited: to the tender; not signed in: to /login"),
        (status = 403, description = "Not a buyer editor", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "The tender is awarded or cancelled, or the organisation is the buyer itself", content_type = "text/html"),
        (status = 422, description = "Not an organisation id, or no such organisation; shown on the tender page", content_type = "text/html")))]
pub async fn invite_supplier_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<InviteForm>,
) -> Result<Response, PageError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Editor)?;
    let problem = match form.organisation_id.trim().parse::<Uuid>() {
        Err(_) => Some(
            "Enter the supplier's organisation id: 36 letters, digits and dashes, as shown on \
             their organisation page"
                .to_owned(),
        ),
        Ok(org) => match state
            .store()
            .invite_supplier(&caller.user.email, id, org)
            .await
        {
            Ok(()) => None,
            Err(StoreError::NotFound) => Some(
                "No organisation has that id: ask the supplier for the id on their organisation page"
                    .to_owned(),
            ),
            Err(e) => return Err(AppError::from(e).into()),
        },
    };
    match problem {
        None => Ok(Redirect::to(&format!("/tenders/{id}#suppliers")).into_response()),
        Some(message) => {
            let retry = TenderRetry {
                invite: form.organisation_id,
                errors: FormErrors::one("invite-organisation_id", message),
                ..TenderRetry::default()
            };
            let page = tender_page(&state, &caller, access, retry).await?;
            Ok(show_again(page))
        }
    }
}
