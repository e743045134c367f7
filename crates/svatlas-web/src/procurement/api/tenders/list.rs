//! `GET /api/v1/tenders`: tenders the caller buys and tenders they are invited to.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use uuid::Uuid;

use super::TenderBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::AppError;
use crate::state::AppState;

/// The caller's tenders.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TenderList {
    /// Tenders of the caller's organisations (as buyer), newest change first.
    pub buying: Vec<TenderBody>,
    /// Tenders the caller's organisations are invited to bid for (not drafts).
    pub invited: Vec<TenderBody>,
}

/// Lists the caller's tenders as buyer and as invited supplier.
#[utoipa::path(get, path = "/api/v1/tenders", tag = "procurement",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's tenders", body = TenderList)))]
pub async fn list_tenders(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<TenderList>, AppError> {
    let orgs: Vec<Uuid> = caller
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    let buying = state.store().tenders_of(&orgs).await?;
    let invited = state.store().tenders_invited(&orgs).await?;
    Ok(Json(TenderList {
        buying: buying.into_iter().map(Into::into).collect(),
        invited: invited
            .into_iter()
            .filter(|t| !orgs.contains(&t.organisation_id))
            .map(Into::into)
            .collect(),
    }))
}
