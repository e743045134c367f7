//! `POST /api/v1/partners`: an organisation registers its VCSE profile.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use svatlas_domain::partners::ProfileDetails;
use uuid::Uuid;

use super::ProfileBody;
use crate::partners::access::Geo;
use crate::partners::access::checked_details;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::state::AppState;

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
