//! `POST /api/v1/partners/{id}/needs` and `PUT /api/v1/partners/{id}/needs/{need_id}`: the
//! VCSE's editors list what help they need, and close a need once met.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use svatlas_domain::partners::NeedDetails;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::NeedBody;
use crate::partners::access::profile_to_edit;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::state::AppState;

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
