//! `POST /api/v1/tenders/{id}/panel`: put a buyer member on (or off) the evaluation panel.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::evaluation::PanelRole;
use uuid::Uuid;

use super::PanelBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// A panel change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelChange {
    /// A member of the buyer organisation.
    pub user_id: Uuid,
    /// `evaluator` or `moderator`.
    pub role: PanelRole,
    /// `true` to take them off the panel in that role.
    #[serde(default)]
    pub remove: bool,
}

/// Changes the panel (buyer admins); answers the whole panel.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/panel", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = PanelChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The panel", body = Vec<PanelBody>),
        (status = 403, description = "Not a buyer admin", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is awarded or cancelled", body = ErrorBody),
        (status = 422, description = "The user is not a member of the buyer organisation", body = ErrorBody)))]
pub async fn change_panel(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<PanelChange>,
) -> Result<Json<Vec<PanelBody>>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Admin)?;
    let c = body.value;
    state
        .store()
        .set_panel_member(&caller.user.email, id, c.user_id, c.role, !c.remove)
        .await?;
    let panel = state.store().panel(id).await?;
    Ok(Json(panel.into_iter().map(Into::into).collect()))
}
