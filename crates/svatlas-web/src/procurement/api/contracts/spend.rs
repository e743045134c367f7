//! Local spend on a contract: `GET`/`POST /api/v1/contracts/{id}/spend` and
//! `DELETE /api/v1/contracts/{id}/spend/{spend_id}`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::spend::{SpendLine, SpendPlace, SpendSummary};
use svatlas_store::StoreError;
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody, ErrorDetail};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::contract_for;
use crate::procurement::spend::spend_view;
use crate::state::AppState;

/// A spend line with where it was spent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpendBody {
    /// Line id.
    pub id: Uuid,
    /// The line as entered.
    #[serde(flatten)]
    pub line: SpendLine,
    /// Where it was spent, from the open data (`null` when it cannot be worked out).
    pub place: Option<SpendPlace>,
    /// Who entered it.
    pub entered_by: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A contract's spend.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpendView {
    /// Shares in the contract's area, in IMD deciles 1–3, with SMEs and VCSEs.
    pub summary: SpendSummary,
    /// Every line, oldest first.
    pub lines: Vec<SpendBody>,
}

/// Lines to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSpend {
    /// 1 to 1,000 lines, recorded together or not at all.
    pub lines: Vec<SpendLine>,
}

/// Reads a contract's spend and its shares (members of buyer and supplier).
#[utoipa::path(get, path = "/api/v1/contracts/{id}/spend", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Spend and its shares", body = SpendView),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody)))]
pub async fn get_spend(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<SpendView>, AppError> {
    let (contract, _) = contract_for(&state, &caller, id).await?;
    let (lines, summary) = spend_view(&state, &contract).await?;
    Ok(Json(SpendView {
        summary,
        lines: lines
            .into_iter()
            .map(|(r, place)| SpendBody {
                id: r.id,
                line: r.line,
                place,
                entered_by: r.created_by,
                created_at: r.created_at,
            })
            .collect(),
    }))
}

/// Records spend with the supply chain (supplier editors and admins); every line is checked
/// and the lines land together or not at all.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/spend", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id")),
    request_body = NewSpend,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded; answers the contract's spend", body = SpendView),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody),
        (status = 422, description = "A line is not acceptable; `field` is `lines[i].name`", body = ErrorBody)))]
pub async fn add_spend(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<NewSpend>,
) -> Result<(StatusCode, Json<SpendView>), AppError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    let lines = body.value.lines;
    if lines.is_empty() || lines.len() > 1_000 {
        return Err(AppError::invalid(
            "out_of_range",
            "lines",
            "send 1 to 1,000 spend lines",
        ));
    }
    let mut details = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Err(e) = l.validate() {
            details.extend(e.0.into_iter().map(|f| {
                ErrorDetail::new(&f.code, Some(format!("lines[{i}].{}", f.field)), f.message)
            }));
        }
    }
    if !details.is_empty() {
        return Err(AppError::Unprocessable(details));
    }
    state
        .store()
        .add_spend(&caller.user.email, id, &lines)
        .await?;
    let Json(view) = get_spend(State(state), ApiCaller(caller), ApiPath(id)).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Removes a spend line entered in error (supplier editors and admins).
#[utoipa::path(delete, path = "/api/v1/contracts/{id}/spend/{spend_id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id"), ("spend_id" = Uuid, Path, description = "Spend line id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such contract or line", body = ErrorBody)))]
pub async fn delete_spend(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, spend_id)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, AppError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    match state
        .store()
        .delete_spend(&caller.user.email, id, spend_id)
        .await
    {
        Err(StoreError::NotFound) => Err(AppError::NotFound(format!(
            "no spend line with id {spend_id}"
        ))),
        other => Ok(other.map(|()| StatusCode::NO_CONTENT)?),
    }
}
