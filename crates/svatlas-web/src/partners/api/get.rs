//! `GET /api/v1/partners/{id}` (public when published) and `PUT /api/v1/partners/{id}` (the
//! VCSE's editors and admins).

use axum::Json;
use axum::extract::State;
use svatlas_domain::partners::ProfileDetails;
use svatlas_store::partners::ProfileRecord;
use uuid::Uuid;

use super::ProfileBody;
use crate::partners::access::checked_details;
use crate::partners::access::{Geo, profile_for, profile_to_edit};
use crate::platform::auth::ApiCaller;
use crate::platform::auth::MaybeApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::state::AppState;

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
