//! `POST /api/v1/bids/{id}/scores`: an evaluator scores one question of a bid.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use svatlas_domain::procurement::evaluation::{PanelRole, QuestionScore};
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_of_bid;
use crate::state::AppState;

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
