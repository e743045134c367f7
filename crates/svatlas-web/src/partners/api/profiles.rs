//! Partner profiles in the JSON API: the public directory, a profile, and the organisation's
//! own profile and needs.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use svatlas_domain::partners::{NeedDetails, NeedKind, ProfileDetails};
use svatlas_store::StoreError;
use svatlas_store::partners::ProfileRecord;
use uuid::Uuid;

use super::{AreaBody, CauseBody, NeedBody, ProfileBody, ProfileSummary};
use crate::partners::access::{
    DEFAULT_PER_PAGE, Geo, MAX_PER_PAGE, checked_details, parse_search, profile_for,
    profile_to_edit, search, search_notes,
};
use crate::platform::auth::{ApiCaller, MaybeApiCaller};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiPath, ApiQuery, positive};
use crate::state::AppState;

// `POST /api/v1/partners`: an organisation registers its VCSE profile.

/// A new profile: its details, and the organisation when the caller edits in several.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateProfile {
    /// The VCSE's organisation; needed only when the caller can edit in several.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// The profile.
    #[serde(flatten)]
    pub details: ProfileDetails,
}

/// Registers the caller's organisation's profile (editors and admins; one per organisation).
#[utoipa::path(post, path = "/api/v1/partners", tag = "partners",
    request_body = CreateProfile,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered", body = ProfileBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "organisation_id names an organisation the caller is not in", body = ErrorBody),
        (status = 409, description = "The organisation has a profile already", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn create_partner(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: ApiJson<CreateProfile>,
) -> Result<(StatusCode, Json<ProfileBody>), AppError> {
    let request = body.value;
    let org = caller.acting_organisation(
        request.organisation_id,
        "registering a partner profile",
        "the profile is for",
    )?;
    let geo = Geo::of(&state);
    let details = checked_details(&geo, request.details)?;
    let profile = state
        .store()
        .create_profile(&caller.user.email, org, Some(caller.user.id), &details)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ProfileBody::of(&geo, profile, Vec::new(), &[])),
    ))
}

// `GET /api/v1/partners/{id}` (public when published) and `PUT /api/v1/partners/{id}` (the
// VCSE's editors and admins).

/// The body of a profile with its needs and their pledge totals.
pub(crate) async fn body_of(
    state: &AppState,
    profile: ProfileRecord,
) -> Result<ProfileBody, AppError> {
    let needs = state.store().needs_of(profile.id).await?;
    let pledges = state.store().pledges_of_profile(profile.id).await?;
    Ok(ProfileBody::of(&Geo::of(state), profile, needs, &pledges))
}

/// Reads a profile with its needs. Published profiles are public; an unpublished one is seen
/// only by its organisation's members (send their token).
#[utoipa::path(get, path = "/api/v1/partners/{id}", tag = "partners",
    params(("id" = Uuid, Path, description = "Profile id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = ProfileBody),
        (status = 401, description = "A token was sent but is not valid", body = ErrorBody),
        (status = 404, description = "No such profile, or unpublished and not the caller's", body = ErrorBody)))]
pub async fn get_partner(
    State(state): State<AppState>,
    MaybeApiCaller(caller): MaybeApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ProfileBody>, AppError> {
    let (profile, _) = profile_for(&state, caller.as_ref(), id).await?;
    Ok(Json(body_of(&state, profile).await?))
}

/// Replaces the profile (editors and admins of its organisation). Set `published` to list it
/// in the public directory.
#[utoipa::path(put, path = "/api/v1/partners/{id}", tag = "partners",
    params(("id" = Uuid, Path, description = "Profile id")),
    request_body = ProfileDetails,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = ProfileBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "No such profile, or another organisation's", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn update_partner(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<ProfileDetails>,
) -> Result<Json<ProfileBody>, AppError> {
    profile_to_edit(&state, &caller, id).await?;
    let details = checked_details(&Geo::of(&state), body.value)?;
    let profile = state
        .store()
        .update_profile(&caller.user.email, id, &details)
        .await?;
    Ok(Json(body_of(&state, profile).await?))
}

// `GET /api/v1/partners`: the public directory, searched by place, cause and kind of need.

/// What to look for; every parameter is optional.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerQuery {
    /// An area code (district, ward, LSOA, region...): profiles serving that area, an area
    /// containing it or an area within it.
    pub place: Option<String>,
    /// A cause: a Social Value Model criterion (`MAC 2.2`, `MAC 1a`), a 2025 mission
    /// (`mission:kickstart-economic-growth`, which also finds the criteria under it) or a
    /// Bristol Accord component (`well_served`).
    #[param(schema_with = cause_schema)]
    pub cause: Option<String>,
    /// A kind of open need: `volunteers`, `goods`, `funding`, `skills` or `premises`.
    #[param(schema_with = need_kind_schema)]
    pub need: Option<String>,
    /// Page, from 1 (default 1).
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<String>,
    /// Profiles per page from 1 (default 20); more than 100 gives 100.
    #[param(value_type = Option<i32>, minimum = 1)]
    pub per_page: Option<String>,
}

/// The cause ids, for the API description.
fn cause_schema() -> utoipa::openapi::Object {
    let ids: Vec<String> = svatlas_domain::partners::all_causes()
        .iter()
        .map(|c| c.id())
        .collect();
    crate::platform::openapi::one_of(ids.iter().map(String::as_str))
}

/// The kinds of need, for the API description.
fn need_kind_schema() -> utoipa::openapi::Object {
    crate::platform::openapi::one_of(["volunteers", "goods", "funding", "skills", "premises"])
}

/// One page of the directory.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PartnerList {
    /// Profiles found in all.
    pub total: usize,
    /// This page.
    pub page: usize,
    /// Profiles per page.
    pub per_page: usize,
    /// Number of pages.
    pub pages: usize,
    /// The place searched, with its name.
    pub place: Option<AreaBody>,
    /// The cause searched, with its words.
    pub cause: Option<CauseBody>,
    /// The kind of need searched.
    pub need: Option<NeedKind>,
    /// The profiles of this page, by name.
    pub items: Vec<ProfileSummary>,
    /// Notes on how the search was done on this server.
    pub notes: Vec<String>,
}

/// Lists published profiles (public, no token needed).
#[utoipa::path(get, path = "/api/v1/partners", tag = "partners", params(PartnerQuery),
    responses(
        (status = 200, description = "One page of published profiles, by name", body = PartnerList),
        (status = 422, description = "A parameter is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn list_partners(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PartnerQuery>,
) -> Result<Json<PartnerList>, AppError> {
    let geo = Geo::of(&state);
    let mut problems = Vec::new();
    let page = positive("page", query.page.as_deref(), 1).map_err(|e| problems.push(e));
    let per_page = positive("per_page", query.per_page.as_deref(), DEFAULT_PER_PAGE)
        .map_err(|e| problems.push(e));
    let found = parse_search(
        &geo,
        query.place.as_deref(),
        query.cause.as_deref(),
        query.need.as_deref(),
    )
    .map_err(|e| problems.extend(e));
    let (Ok(page), Ok(per_page), Ok(s)) = (page, per_page, found) else {
        return Err(AppError::Unprocessable(problems));
    };
    let per_page = per_page.min(MAX_PER_PAGE);
    let all = search(&state, &s).await?;
    let total = all.len();
    let items = all
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|(p, needs)| ProfileSummary::of(&geo, p, needs))
        .collect();
    Ok(Json(PartnerList {
        total,
        page,
        per_page,
        pages: total.div_ceil(per_page),
        place: s.place.as_ref().map(|c| AreaBody {
            code: c.clone(),
            name: geo.name(c),
        }),
        cause: s.cause.as_ref().map(CauseBody::of),
        need: s.need,
        items,
        notes: search_notes(&geo, s.place.is_some()),
    }))
}

// `POST /api/v1/partners/{id}/needs` and `PUT /api/v1/partners/{id}/needs/{need_id}`: the
// VCSE's editors list what help they need, and close a need once met.

/// Adds a need (editors and admins of the profile's organisation).
#[utoipa::path(post, path = "/api/v1/partners/{id}/needs", tag = "partners",
    params(("id" = Uuid, Path, description = "Profile id")),
    request_body = NeedDetails,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = NeedBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "No such profile, or another organisation's", body = ErrorBody),
        (status = 409, description = "The profile lists the most needs allowed", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn add_need(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<NeedDetails>,
) -> Result<(StatusCode, Json<NeedBody>), AppError> {
    profile_to_edit(&state, &caller, id).await?;
    let details = body.value.normalised();
    details.validate()?;
    let need = state
        .store()
        .add_need(&caller.user.email, id, &details)
        .await?;
    Ok((StatusCode::CREATED, Json(NeedBody::of(need, &[]))))
}

/// Replaces a need, e.g. with `"open": false` once it is met (editors and admins).
#[utoipa::path(put, path = "/api/v1/partners/{id}/needs/{need_id}", tag = "partners",
    params(("id" = Uuid, Path, description = "Profile id"),
           ("need_id" = Uuid, Path, description = "Need id")),
    request_body = NeedDetails,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = NeedBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "No such profile or need, or another organisation's", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn update_need(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, need_id)): ApiPath<(Uuid, Uuid)>,
    body: ApiJson<NeedDetails>,
) -> Result<Json<NeedBody>, AppError> {
    profile_to_edit(&state, &caller, id).await?;
    let details = body.value.normalised();
    details.validate()?;
    let need = match state
        .store()
        .update_need(&caller.user.email, id, need_id, &details)
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(AppError::NotFound(format!("no need with id {need_id}")));
        }
        other => other?,
    };
    let pledges = state.store().pledges_of_profile(id).await?;
    Ok(Json(NeedBody::of(need, &pledges)))
}
