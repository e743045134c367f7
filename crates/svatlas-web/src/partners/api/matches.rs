//! Match lists: published VCSEs ranked for a tender
//! (`GET /api/v1/tenders/{id}/partner-matches`) or a contract
//! (`GET /api/v1/contracts/{id}/partner-matches`) by causes, area need and distance, each
//! factor with its value and in words (`svatlas_domain::partners::matching`).

use crate::partners::matches::MatchList;
use crate::partners::matches::contract_subject;
use crate::partners::matches::match_list;
use crate::partners::matches::tender_subject;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use uuid::Uuid;

/// VCSEs ranked for a tender (whoever may see the tender: buyer members, invited suppliers
/// once it is open). For a supplier the list also matches its own bid's commitments, and its
/// own organisation's profile is left out.
#[utoipa::path(get, path = "/api/v1/tenders/{id}/partner-matches", tag = "partners",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Ranked VCSEs with each factor's value and words", body = MatchList),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn tender_matches(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<MatchList>, AppError> {
    let subject = tender_subject(&state, &caller, id).await?;
    Ok(Json(match_list(&state, subject).await?))
}

/// VCSEs ranked for a contract's KPIs (members of its buyer and supplier); the supplier's
/// own profile is left out.
#[utoipa::path(get, path = "/api/v1/contracts/{id}/partner-matches", tag = "partners",
    params(("id" = Uuid, Path, description = "Contract id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Ranked VCSEs with each factor's value and words", body = MatchList),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody)))]
pub async fn contract_matches(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<MatchList>, AppError> {
    let subject = contract_subject(&state, &caller, id).await?;
    Ok(Json(match_list(&state, subject).await?))
}
