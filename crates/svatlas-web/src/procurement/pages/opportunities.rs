//! Pages of open opportunities: the public list, one opportunity with the form a supplier uses
//! to ask to bid, and the buyer's forms that list a tender and decide requests (shown on the
//! tender page). Routes are registered by [`crate::procurement::routes`].

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::opportunity::{Decision, check_decision, check_message};
use svatlas_domain::sroi::display::format_money;
use svatlas_store::StoreError;
use svatlas_store::procurement::TenderRecord;
use uuid::Uuid;

use crate::platform::auth::{Caller, MaybePageCaller, PageCaller};
use crate::platform::download::query_string;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::{ApiQuery, PageForm, positive};
use crate::platform::format::pct;
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, Layout, sentence};
use crate::procurement::access::{requesting_organisation, supplier_organisations, tender_for};
use crate::procurement::opportunities::{OpportunityQuery, Search, opportunity};
use crate::procurement::pages::tenders::tender::{TenderRetry, TenderSummary, tender_page};
use crate::state::AppState;

// The buyer's forms on the tender page: `POST /tenders/{id}/listing` lists the tender as an
// open opportunity or takes it off; `POST /tenders/{id}/requests/{organisation_id}/decision`
// accepts (invites) or declines a supplier's request to bid.
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

// `GET /opportunities/{id}`: one open opportunity for anyone, with what a signed-in supplier
// has asked; `POST /opportunities/{id}/requests`: ask to bid from the page.

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
        layout: Layout::new("procurement").for_caller(caller),
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

// `GET /opportunities`: open tenders whose buyers take requests to bid, for anyone.

/// One opportunity in the list.
pub struct Row {
    pub id: Uuid,
    pub title: String,
    pub buyer: String,
    pub closing_date: String,
    pub value: String,
    pub social_value_weight: String,
    pub areas: String,
}

/// The list page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/opportunities/list.html")]
pub struct OpportunitiesPage {
    pub layout: Layout,
    /// The search as typed.
    pub q: String,
    pub area: String,
    /// Whether a search is applied.
    pub searching: bool,
    pub rows: Vec<Row>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// The open opportunities, most recently listed first, 20 a page.
#[utoipa::path(get, path = "/opportunities", tag = "pages", params(OpportunityQuery),
    responses(
        (status = 200, description = "Open opportunities", content_type = "text/html"),
        (status = 422, description = "page is not a whole number of at least 1", content_type = "text/html")))]
pub async fn list_opportunities_page(
    State(state): State<AppState>,
    MaybePageCaller(caller): MaybePageCaller,
    ApiQuery(query): ApiQuery<OpportunityQuery>,
) -> Result<OpportunitiesPage, PageError> {
    let page =
        positive("page", query.page.as_deref(), 1).map_err(|e| AppError::Unprocessable(vec![e]))?;
    let search = Search::of(&query);
    let list = crate::procurement::opportunities::opportunity_page(&state, &search, page).await?;
    let q = query.q.clone().unwrap_or_default();
    let area = query.area.clone().unwrap_or_default();
    let link = |p: usize| {
        format!(
            "/opportunities?{}",
            query_string(&[
                ("q", q.clone()),
                ("area", area.clone()),
                ("page", p.to_string())
            ])
        )
    };
    Ok(OpportunitiesPage {
        layout: Layout::new("procurement").for_caller(caller.as_ref()),
        searching: !search.words.is_empty() || search.area.is_some(),
        q: q.clone(),
        area: area.clone(),
        rows: list
            .items
            .iter()
            .map(|t| Row {
                id: t.id,
                title: t.details.title.clone(),
                buyer: t.buyer.clone(),
                closing_date: t
                    .details
                    .closing_date
                    .clone()
                    .unwrap_or_else(|| "Not set".into()),
                value: format_money(t.details.contract_value_gbp),
                social_value_weight: pct(t.social_value_weight),
                areas: t.details.areas.join(", "),
            })
            .collect(),
        total: list.total,
        previous: (list.page > 1).then(|| link(list.page - 1)),
        next: (list.page < list.pages).then(|| link(list.page + 1)),
        page: list.page,
        pages: list.pages,
    })
}
