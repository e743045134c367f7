//! The buyer's forms on the tender page: `POST /tenders/{id}/listing` lists the tender as an
//! open opportunity or takes it off; `POST /tenders/{id}/requests/{organisation_id}/decision`
//! accepts (invites) or declines a supplier's request to bid.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::opportunity::{Decision, check_decision};
use svatlas_store::StoreError;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, sentence};
use crate::procurement::access::tender_for;
use crate::procurement::pages::tenders::get::{TenderRetry, tender_page};
use crate::state::AppState;

/// The listing switch.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ListingForm {
    /// `yes` to list the tender, `no` to take it off.
    pub listed: String,
}

/// Lists the tender as an open opportunity or takes it off (buyer editors and admins).
#[utoipa::path(post, path = "/tenders/{id}/listing", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = ListingForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Changed: to the tender; not signed in: to /login"),
        (status = 403, description = "Not a buyer editor", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "The tender is closed, awarded or cancelled", content_type = "text/html"),
        (status = 422, description = "listed is neither yes nor no", content_type = "text/html")))]
pub async fn set_listing_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<ListingForm>,
) -> Result<Response, PageError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    let listed = match form.listed.trim() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(AppError::invalid("invalid", "listed", "listed must be yes or no").into());
        }
    };
    state
        .store()
        .set_listing(&caller.user.email, id, listed)
        .await?;
    Ok(Redirect::to(&format!("/tenders/{id}#listing")).into_response())
}

/// The decision form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecisionForm {
    /// `accept` or `decline`.
    pub decision: String,
    /// Why, for a decline.
    pub note: String,
}

/// Accepts (inviting the supplier) or declines a request to bid (buyer editors and admins).
#[utoipa::path(post, path = "/tenders/{id}/requests/{organisation_id}/decision", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id"),
           ("organisation_id" = Uuid, Path, description = "The supplier organisation that asked")),
    request_body(content = DecisionForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Decided: to the tender's requests; not signed in: to /login"),
        (status = 403, description = "Not a buyer editor", content_type = "text/html"),
        (status = 404, description = "No such tender or request, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "Answered already, or the tender is no longer open", content_type = "text/html"),
        (status = 422, description = "A decline without its reason; shown on the tender page", content_type = "text/html")))]
pub async fn decide_request_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, organisation_id)): Path<(Uuid, Uuid)>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, PageError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Editor)?;
    let field = format!("request-{organisation_id}-note");
    let problem = match Decision::parse(&form.decision) {
        None => Some("Choose to accept or decline the request".to_owned()),
        Some(decision) => match check_decision(decision, &form.note) {
            Err(e) => Some(sentence(&e.0[0].message)),
            Ok(()) => match state
                .store()
                .decide_request(
                    &caller.user.email,
                    id,
                    organisation_id,
                    decision,
                    &form.note,
                )
                .await
            {
                Ok(_) => None,
                Err(StoreError::NotFound) => {
                    return Err(AppError::NotFound(format!(
                        "no request to bid from organisation {organisation_id}"
                    ))
                    .into());
                }
                Err(e) => return Err(AppError::from(e).into()),
            },
        },
    };
    match problem {
        None => Ok(Redirect::to(&format!("/tenders/{id}#listing")).into_response()),
        Some(message) => {
            let retry = TenderRetry {
                decline: Some((organisation_id, form.note)),
                errors: FormErrors::one(field, message),
                ..TenderRetry::default()
            };
            let page = tender_page(&state, &caller, access, retry).await?;
            Ok(show_again(page))
        }
    }
}
