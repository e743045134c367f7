//! Scoring bids in the JSON API: evaluators' scores and the moderator's consensus.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use svatlas_domain::procurement::evaluation::QuestionScore;
use uuid::Uuid;

use crate::platform::auth::{ApiCaller, Caller};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiPath};
use crate::procurement::scoring::{self, Scorer, scoring_access};
use crate::state::AppState;

// `POST /api/v1/bids/{id}/consensus`: the moderator records a question's consensus score.

/// A consensus score.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsensusRequest {
    /// The question's id in the tender.
    pub question_id: String,
    /// One of the tender's scale scores.
    pub score: f64,
    /// Why the panel agreed it.
    pub justification: String,
}

/// Records or changes a consensus score (the tender's moderator, during evaluation, after at
/// least one evaluator has scored the question).
#[utoipa::path(post, path = "/api/v1/bids/{id}/consensus", tag = "procurement",
    params(("id" = Uuid, Path, description = "Bid id")),
    request_body = ConsensusRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 403, description = "Not the tender's moderator", body = ErrorBody),
        (status = 404, description = "No such bid or question, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Not in evaluation, or no evaluator has scored it yet", body = ErrorBody),
        (status = 422, description = "Score not on the scale, or no justification", body = ErrorBody)))]
pub async fn record_consensus(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<ConsensusRequest>,
) -> Result<StatusCode, AppError> {
    let r = body.value;
    let score = QuestionScore {
        score: r.score,
        rationale: r.justification,
    };
    record_api(
        &state,
        &caller,
        id,
        Scorer::Moderator,
        &r.question_id,
        &score,
    )
    .await
}

// `POST /api/v1/bids/{id}/scores`: an evaluator scores one question of a bid.

/// An evaluator's score.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    /// The question's id in the tender.
    pub question_id: String,
    /// One of the tender's scale scores.
    pub score: f64,
    /// Why.
    pub rationale: String,
}

/// Records or changes the caller's score (the tender's evaluators, during evaluation, until
/// that question is moderated).
#[utoipa::path(post, path = "/api/v1/bids/{id}/scores", tag = "procurement",
    params(("id" = Uuid, Path, description = "Bid id")),
    request_body = ScoreRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 403, description = "Not one of the tender's evaluators", body = ErrorBody),
        (status = 404, description = "No such bid or question, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Not in evaluation, or the question is moderated", body = ErrorBody),
        (status = 422, description = "Score not on the scale, or no rationale", body = ErrorBody)))]
pub async fn score_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<ScoreRequest>,
) -> Result<StatusCode, AppError> {
    let r = body.value;
    let score = QuestionScore {
        score: r.score,
        rationale: r.rationale,
    };
    record_api(
        &state,
        &caller,
        id,
        Scorer::Evaluator,
        &r.question_id,
        &score,
    )
    .await
}

/// The scoring action with the API's answer: 204 once stored.
async fn record_api(
    state: &AppState,
    caller: &Caller,
    bid: Uuid,
    scorer: Scorer,
    question_id: &str,
    score: &QuestionScore,
) -> Result<StatusCode, AppError> {
    let access = scoring_access(state, caller, bid, scorer, question_id).await?;
    scoring::check(&access.tender.details, scorer, score)?;
    scoring::record(state, caller, bid, scorer, question_id, score).await?;
    Ok(StatusCode::NO_CONTENT)
}
