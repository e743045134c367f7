//! `POST /api/v1/partners`: an organisation registers its VCSE profile.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use svatlas_domain::partners::ProfileDetails;
use uuid::Uuid;

use super::ProfileBody;
use crate::partners::access::Geo;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody, ErrorDetail};
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

/// Normalises and checks a profile, including that its area codes are known (when the
/// server has area data).
pub(crate) fn checked_details(
    geo: &Geo<'_>,
    details: ProfileDetails,
) -> Result<ProfileDetails, AppError> {
    let details = details.normalised();
    details.validate()?;
    let unknown: Vec<String> = details
        .areas
        .iter()
        .filter(|a| !geo.known(a))
        .cloned()
        .collect();
    if let Some(first) = unknown.first() {
        let at = details.areas.iter().position(|a| a == first).unwrap_or(0);
        return Err(AppError::Unprocessable(vec![
            ErrorDetail::new(
                "unknown_area",
                Some(format!("areas[{at}]")),
                format!(
                    "{} not an area code this server knows: {}",
                    if unknown.len() == 1 {
                        "this is"
                    } else {
                        "these are"
                    },
                    unknown.join(", ")
                ),
            )
            .with_codes(unknown),
        ]));
    }
    Ok(details)
}

/// Registers the caller's organisation's profile (editors and admins; one per organisation).
#[utoipa::path(post, path = "/api/v1/partners", tag = "partners",
    request_body = CreateProfile,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered", body = ProfileBody),
        (status = 401, description = "No valid token", body = ErrorBody),
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
