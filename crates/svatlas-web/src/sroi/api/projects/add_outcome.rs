//! `POST /api/v1/projects/{id}/outcomes`: add an outcome.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::OutcomeBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::sroi::calculator::{OutcomeRequest, library_for, project_for};
use crate::state::AppState;

/// Adds an outcome valued with a library proxy (`proxy_id`) or a custom value (`proxy_gbp`).
#[utoipa::path(post, path = "/api/v1/projects/{id}/outcomes", tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body = OutcomeRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = OutcomeBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "No such project, or not the caller's organisation", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn add_outcome(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<OutcomeRequest>,
) -> Result<(StatusCode, Json<OutcomeBody>), AppError> {
    let project = project_for(&state, &caller, id, Role::Editor).await?;
    let library = library_for(&state, project.organisation_id).await?;
    let entry = body
        .value
        .into_entry(&library, project.details.price_base_year)?;
    let stored = state
        .store()
        .add_outcome(&caller.user.email, id, &entry)
        .await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}
