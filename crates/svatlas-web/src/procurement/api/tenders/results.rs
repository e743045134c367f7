//! `GET /api/v1/tenders/{id}/results`: weighted scores, totals and ranking from the consensus.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::evaluation::{BidResult, ResultsError};
use svatlas_domain::procurement::scoring::{Method, ScoringWarning};
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// One ranked bid.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResultBody {
    /// The bid.
    pub bid_id: Uuid,
    /// Quality points, social value points and the scoring figures with rank.
    #[serde(flatten)]
    pub result: BidResult,
}

/// The results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Results {
    /// The tender's method.
    pub method: Method,
    /// Bids by supplier name, each with its rank (1 = winner).
    pub bids: Vec<ResultBody>,
    /// Warnings from the scoring rules.
    pub warnings: Vec<ScoringWarning>,
}

/// Works out the results (buyer members, once bids are closed and every consensus is in).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/results", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Ranked bids", body = Results),
        (status = 403, description = "A supplier", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Bids are sealed, or consensus scores are missing (listed)", body = ErrorBody)))]
pub async fn get_results(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Results>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Viewer)?;
    if !access.sees_bids() {
        return Err(AppError::Conflict(
            "bids are sealed until the tender closes for evaluation".into(),
        ));
    }
    let (bids, results) = state.store().tender_results(id).await?;
    let results = results.map_err(|e| match e {
        ResultsError::Scoring(m) => AppError::Conflict(m),
        other => AppError::Conflict(other.to_string()),
    })?;
    Ok(Json(Results {
        method: results.method,
        bids: bids
            .iter()
            .zip(results.bids)
            .map(|(b, result)| ResultBody {
                bid_id: b.id,
                result,
            })
            .collect(),
        warnings: results.warnings,
    }))
}
