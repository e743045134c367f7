//! Scoring bids in the JSON API: evaluators' scores and the moderator's consensus.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use svatlas_domain::procurement::evaluation::{PanelRole, QuestionScore};
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiPath};
use crate::procurement::access::tender_of_bid;
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
    let access = tender_of_bid(&state, &caller, id).await?;
    access.require_panel(PanelRole::Moderator)?;
    let r = body.value;
    if access.tender.details.question(&r.question_id).is_none() {
        return Err(AppError::invalid(
            "unknown",
            "question_id",
            format!("the tender has no question {:?}", r.question_id),
        ));
    }
    let score = QuestionScore {
        score: r.score,
        rationale: r.justification,
    };
    score.validate(&access.tender.details).map_err(|e| {
        let mut app: AppError = e.into();
        if let AppError::Unprocessable(details) = &mut app {
            for d in details {
                if d.field.as_deref() == Some("rationale") {
                    d.field = Some("justification".into());
                    d.message = d.message.replace("rationale", "justification");
                }
            }
        }
        app
    })?;
    state
        .store()
        .record_consensus(
            &caller.user.email,
            id,
            &r.question_id,
            caller.user.id,
            &score,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
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
    let access = tender_of_bid(&state, &caller, id).await?;
    access.require_panel(PanelRole::Evaluator)?;
    let r = body.value;
    if access.tender.details.question(&r.question_id).is_none() {
        return Err(AppError::invalid(
            "unknown",
            "question_id",
            format!("the tender has no question {:?}", r.question_id),
        ));
    }
    let score = QuestionScore {
        score: r.score,
        rationale: r.rationale,
    };
    score.validate(&access.tender.details)?;
    state
        .store()
        .record_score(
            &caller.user.email,
            id,
            &r.question_id,
            caller.user.id,
            &score,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
