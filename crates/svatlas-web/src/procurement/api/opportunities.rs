//! Open opportunities (self-registration): a buyer lists an open tender, suppliers it has not
//! invited find it on the public list and ask to bid, and the buyer accepts (which invites
//! them, so the invitation's rules apply from then on) or declines with a reason.
//!
//! The list and each opportunity are public, like a contracts notice: only open tenders the
//! buyer chose to list. Requests are made by editors of a supplier organisation; the buyer's
//! members read them and its editors decide.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::opportunity::{
    Decision, RequestStatus, check_decision, check_message,
};
use svatlas_domain::procurement::tender::TenderStatus;
use svatlas_store::StoreError;
use svatlas_store::opportunities::TenderRequest;
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiPath, ApiQuery, positive};
use crate::procurement::access::{requesting_organisation, tender_for};
use crate::procurement::api::tenders::TenderBody;
use crate::procurement::opportunities::{
    OpportunityList, OpportunityQuery, Search, opportunity, opportunity_page,
};
use crate::state::AppState;

/// Opportunities per page.
pub const PER_PAGE: usize = 20;

/// A request to bid as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RequestBody {
    /// The tender.
    pub tender_id: Uuid,
    /// The supplier organisation asking.
    pub organisation_id: Uuid,
    /// Its name.
    pub organisation: String,
    /// `requested`, `accepted` or `declined`.
    pub status: RequestStatus,
    /// What the supplier wrote.
    pub message: String,
    /// The buyer's reason or note.
    pub note: String,
    /// Sent (UTC).
    pub created_at: DateTime<Utc>,
    /// Decided (UTC).
    pub decided_at: Option<DateTime<Utc>>,
}

impl From<TenderRequest> for RequestBody {
    fn from(r: TenderRequest) -> Self {
        RequestBody {
            tender_id: r.tender_id,
            organisation_id: r.organisation_id,
            organisation: r.organisation_name,
            status: r.status,
            message: r.message,
            note: r.note,
            created_at: r.created_at,
            decided_at: r.decided_at,
        }
    }
}

// `GET /api/v1/opportunities/{id}`: one open listed tender, for anyone.

/// One opportunity with its settings, questions and weightings (public).
#[utoipa::path(get, path = "/api/v1/opportunities/{id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "The tender", body = TenderBody),
        (status = 404, description = "Not open, not listed, or no such tender", body = ErrorBody)))]
pub async fn get_opportunity(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<TenderBody>, AppError> {
    Ok(Json(opportunity(&state, id).await?.into()))
}

// `GET /api/v1/opportunities`: open tenders their buyers list for any supplier to find,
// searched by words and by place.

/// Lists open tenders whose buyers invite requests to bid (public, no token needed).
#[utoipa::path(get, path = "/api/v1/opportunities", tag = "procurement", params(OpportunityQuery),
    responses(
        (status = 200, description = "One page of opportunities found", body = OpportunityList),
        (status = 422, description = "page is not a whole number of at least 1", body = ErrorBody)))]
pub async fn list_opportunities(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<OpportunityQuery>,
) -> Result<Json<OpportunityList>, AppError> {
    let page =
        positive("page", query.page.as_deref(), 1).map_err(|e| AppError::Unprocessable(vec![e]))?;
    Ok(Json(
        opportunity_page(&state, &Search::of(&query), page).await?,
    ))
}

// `PUT /api/v1/tenders/{id}/listing`: list a tender for suppliers to find, or take it off.

/// Whether the tender is listed.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// `true` to list it, `false` to take it off the list.
    pub listed: bool,
}

/// The listing as it now is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListingBody {
    /// Listed by the buyer.
    pub listed: bool,
    /// Listed and open: on the public list now (a listed draft shows once it opens).
    pub visible: bool,
    /// The public page of the opportunity.
    pub url: String,
}

/// Lists a draft or open tender on the public opportunities list, or takes it off (buyer
/// editors and admins).
#[utoipa::path(put, path = "/api/v1/tenders/{id}/listing", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = Listing,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The listing now", body = ListingBody),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is closed, awarded or cancelled", body = ErrorBody)))]
pub async fn set_listing(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<Listing>,
) -> Result<Json<ListingBody>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Editor)?;
    let listed = state
        .store()
        .set_listing(&caller.user.email, id, body.value.listed)
        .await?;
    Ok(Json(ListingBody {
        listed,
        visible: listed && access.tender.status == TenderStatus::Open,
        url: format!("/opportunities/{id}"),
    }))
}

// `POST /api/v1/opportunities/{id}/requests`: a supplier organisation asks to bid.

/// The request.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewRequest {
    /// The supplier organisation that asks (needed when the caller edits in several).
    pub organisation_id: Option<Uuid>,
    /// A note to the buyer: who you are and why you fit (optional, up to 2,000 characters).
    pub message: String,
}

/// Asks to bid for an open listed tender (editors and admins of a supplier organisation).
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/requests", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = NewRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Sent: the buyer decides", body = RequestBody),
        (status = 403, description = "The buyer itself, or no editor role in a supplier organisation", body = ErrorBody),
        (status = 404, description = "Not an open listed tender, or organisation_id names an organisation the caller is not in", body = ErrorBody),
        (status = 409, description = "Already invited, or asked before", body = ErrorBody),
        (status = 422, description = "The message is too long, or organisation_id is needed", body = ErrorBody)))]
pub async fn request_to_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<NewRequest>,
) -> Result<(StatusCode, Json<RequestBody>), AppError> {
    let tender = opportunity(&state, id).await?;
    check_message(&body.value.message)?;
    let org = requesting_organisation(&caller, body.value.organisation_id, tender.organisation_id)?;
    match state
        .store()
        .request_to_bid(
            &caller.user.email,
            id,
            org,
            Some(caller.user.id),
            &body.value.message,
        )
        .await
    {
        Ok(r) => Ok((StatusCode::CREATED, Json(r.into()))),
        // Closed or taken off the list in between.
        Err(StoreError::NotFound) => Err(opportunity(&state, id)
            .await
            .err()
            .unwrap_or_else(|| AppError::NotFound(format!("no open opportunity with id {id}")))),
        Err(e) => Err(AppError::from(e)),
    }
}

// `GET /api/v1/tenders/{id}/requests` and
// `POST /api/v1/tenders/{id}/requests/{organisation_id}/decision`: the buyer's side of
// suppliers' requests to bid.

/// Every request to bid for the tender, oldest first (buyer members).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/requests", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Requests, oldest first", body = Vec<RequestBody>),
        (status = 403, description = "A supplier: requests are the buyer's", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn list_requests(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<RequestBody>>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Viewer)?;
    let list = state.store().tender_requests(id).await?;
    Ok(Json(list.into_iter().map(RequestBody::from).collect()))
}

/// The buyer's decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// `accept` (invites the supplier) or `decline`.
    pub decision: Decision,
    /// Why, for a decline (needed); optional for an acceptance.
    #[serde(default)]
    pub note: String,
}

/// Accepts or declines a request while the tender is open (buyer editors and admins).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/requests/{organisation_id}/decision", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id"),
           ("organisation_id" = Uuid, Path, description = "The supplier organisation that asked")),
    request_body = DecisionBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Decided; an accepted supplier is invited", body = RequestBody),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender or request, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Answered already, or the tender is no longer open", body = ErrorBody),
        (status = 422, description = "A decline without its reason", body = ErrorBody)))]
pub async fn decide_request(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, organisation_id)): ApiPath<(Uuid, Uuid)>,
    body: ApiJson<DecisionBody>,
) -> Result<Json<RequestBody>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    check_decision(body.value.decision, &body.value.note)?;
    match state
        .store()
        .decide_request(
            &caller.user.email,
            id,
            organisation_id,
            body.value.decision,
            &body.value.note,
        )
        .await
    {
        Ok(r) => Ok(Json(r.into())),
        Err(StoreError::NotFound) => Err(AppError::NotFound(format!(
            "no request to bid from organisation {organisation_id}"
        ))),
        Err(e) => Err(AppError::from(e)),
    }
}
