//! `POST /api/v1/projects/{id}/inputs`: add an input.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::InputBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::sroi::calculator::{InputRequest, project_for};
use crate::state::AppState;

/// Adds an input (value × volume in a year; leakage is recorded as local spend).
#[utoipa::path(post, path = "/api/v1/projects/{id}/inputs", tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body = InputRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = InputBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "No such project, or not the caller's organisation", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn add_input(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<InputRequest>,
) -> Result<(StatusCode, Json<InputBody>), AppError> {
    project_for(&state, &caller, id, Role::Editor).await?;
    let input = body.value.into_input()?;
    let stored = state
        .store()
        .add_input(&caller.user.email, id, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}
