//! `POST /api/v1/tenders`: a buyer creates a draft tender.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use svatlas_domain::procurement::tender::TenderDetails;
use uuid::Uuid;

use super::TenderBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::state::AppState;

/// A new tender: its settings, and the buyer organisation when the caller edits in several.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateTender {
    /// The buyer organisation; needed only when the caller can edit in several.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// Settings.
    #[serde(flatten)]
    pub details: TenderDetails,
}

/// Creates a draft tender in the caller's organisation (editors and admins).
#[utoipa::path(post, path = "/api/v1/tenders", tag = "procurement",
    request_body = CreateTender,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created (draft)", body = TenderBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "organisation_id names an organisation the caller is not in", body = ErrorBody),
        (status = 422, description = "A setting is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn create_tender(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: ApiJson<CreateTender>,
) -> Result<(StatusCode, Json<TenderBody>), AppError> {
    let request = body.value;
    let org = caller.acting_organisation(request.organisation_id, "creating a tender", "acts")?;
    request.details.validate()?;
    let tender = state
        .store()
        .create_tender(
            &caller.user.email,
            org,
            Some(caller.user.id),
            &request.details,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(tender.into())))
}
