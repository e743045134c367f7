//! `GET /opportunities/{id}`: one open opportunity for anyone, with what a signed-in supplier
//! has asked; `POST /opportunities/{id}/requests`: ask to bid from the page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::procurement::opportunity::check_message;
use svatlas_store::procurement::TenderRecord;
use uuid::Uuid;

use crate::platform::auth::MaybePageCaller;
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, sentence};
use crate::procurement::access::requesting_organisation;
use crate::procurement::access::supplier_organisations;
use crate::procurement::opportunities::opportunity;
use crate::procurement::pages::tenders::get::TenderSummary;
use crate::state::AppState;

/// Where one of the caller's organisations stands with this tender.
pub struct OwnStanding {
    pub name: String,
    pub words: String,
    /// Invited: it may open the tender and bid.
    pub invited: bool,
}

/// The opportunity page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/opportunities/opportunity.html")]
pub struct OpportunityPage {
    pub layout: Layout,
    pub id: Uuid,
    pub title: String,
    pub buyer: String,
    pub description: String,
    pub summary: TenderSummary,
    pub areas: Vec<String>,
    pub signed_in: bool,
    /// A member of the buyer organisation.
    pub is_buyer: bool,
    pub standing: Vec<OwnStanding>,
    /// Organisations that may still ask: (id, name).
    pub can_ask: Vec<(Uuid, String)>,
    pub organisation_id: String,
    pub message: String,
    pub errors: FormErrors,
}

/// What the request form keeps when it fails.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RequestForm {
    /// The supplier organisation asking (when the caller edits in several).
    pub organisation_id: String,
    /// A note to the buyer.
    pub message: String,
}

async fn opportunity_page(
    state: &AppState,
    caller: Option<&Caller>,
    t: TenderRecord,
    form: RequestForm,
    errors: FormErrors,
) -> Result<OpportunityPage, AppError> {
    let mut standing = Vec::new();
    let mut can_ask = Vec::new();
    if let Some(c) = caller {
        for (org, name) in supplier_organisations(c, t.organisation_id) {
            let invited = state.store().is_invited(t.id, org).await?;
            let request = state.store().tender_request(t.id, org).await?;
            let words = match (&request, invited) {
                (_, true) => "Invited to bid".to_owned(),
                (Some(r), false) if r.note.is_empty() => r.status.label().to_owned(),
                (Some(r), false) => format!("{}: {}", r.status.label(), r.note),
                (None, false) => {
                    can_ask.push((org, name));
                    continue;
                }
            };
            standing.push(OwnStanding {
                name,
                words,
                invited,
            });
        }
    }
    let d = &t.details;
    Ok(OpportunityPage {
        layout: Layout::new("procurement"),
        id: t.id,
        title: d.title.clone(),
        buyer: t.organisation_name.clone(),
        description: d.description.clone(),
        // The weighting warnings are a second look for the buyer, not for suppliers.
        summary: TenderSummary {
            warnings: Vec::new(),
            ..TenderSummary::of(d)
        },
        areas: d.areas.clone(),
        signed_in: caller.is_some(),
        is_buyer: caller.is_some_and(|c| c.role_in(t.organisation_id).is_some()),
        standing,
        can_ask,
        organisation_id: form.organisation_id,
        message: form.message,
        errors,
    })
}

/// An open opportunity: what is bought, how bids are scored, and the form to ask to bid.
#[utoipa::path(get, path = "/opportunities/{id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "The opportunity", content_type = "text/html"),
        (status = 404, description = "Not open, not listed, or no such tender", content_type = "text/html")))]
pub async fn get_opportunity_page(
    State(state): State<AppState>,
    MaybePageCaller(caller): MaybePageCaller,
    Path(id): Path<Uuid>,
) -> Result<OpportunityPage, PageError> {
    let t = opportunity(&state, id).await?;
    Ok(opportunity_page(
        &state,
        caller.as_ref(),
        t,
        RequestForm::default(),
        FormErrors::default(),
    )
    .await?)
}

/// Asks to bid for the caller's supplier organisation; back to the opportunity.
#[utoipa::path(post, path = "/opportunities/{id}/requests", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = RequestForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Sent: to the opportunity; not signed in: to /login"),
        (status = 403, description = "The buyer itself, or no editor role in a supplier organisation", content_type = "text/html"),
        (status = 404, description = "Not an open listed tender", content_type = "text/html"),
        (status = 409, description = "Already invited, or asked before", content_type = "text/html"),
        (status = 422, description = "The message is too long, or the organisation is not chosen; shown on the page", content_type = "text/html")))]
pub async fn request_to_bid_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<RequestForm>,
) -> Result<Response, PageError> {
    let t = opportunity(&state, id).await?;
    if let Err(e) = check_message(&form.message) {
        let errors = FormErrors::one("request-message", sentence(&e.0[0].message));
        return retry(&state, &caller, t, form, errors).await;
    }
    let named = match form.organisation_id.trim() {
        "" => None,
        text => match text.parse::<Uuid>() {
            Ok(org) => Some(org),
            Err(_) => {
                let errors = FormErrors::one("request-organisation_id", "Choose your organisation");
                return retry(&state, &caller, t, form, errors).await;
            }
        },
    };
    let org = match requesting_organisation(&caller, named, t.organisation_id) {
        Ok(org) => org,
        Err(AppError::Unprocessable(_)) => {
            let errors = FormErrors::one(
                "request-organisation_id",
                "Choose the organisation that asks to bid: you can edit in several",
            );
            return retry(&state, &caller, t, form, errors).await;
        }
        Err(e) => return Err(e.into()),
    };
    match state
        .store()
        .request_to_bid(
            &caller.user.email,
            id,
            org,
            Some(caller.user.id),
            &form.message,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/opportunities/{id}#request")).into_response()),
        Err(e) => Err(AppError::from(e).into()),
    }
}

async fn retry(
    state: &AppState,
    caller: &Caller,
    t: TenderRecord,
    form: RequestForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let page = opportunity_page(state, Some(caller), t, form, errors).await?;
    Ok(show_again(page))
}
