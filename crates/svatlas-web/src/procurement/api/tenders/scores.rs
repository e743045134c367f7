//! `GET /api/v1/tenders/{id}/scores`: the evaluation scores the caller may see.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// One evaluator's score.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScoreBody {
    /// The bid.
    pub bid_id: Uuid,
    /// The question.
    pub question_id: String,
    /// The evaluator.
    pub evaluator_id: Uuid,
    /// Their name.
    pub evaluator: String,
    /// Score on the tender's scale.
    pub score: f64,
    /// Their rationale.
    pub rationale: String,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// A consensus score.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConsensusBody {
    /// The bid.
    pub bid_id: Uuid,
    /// The question.
    pub question_id: String,
    /// Consensus score.
    pub score: f64,
    /// The moderator's justification.
    pub justification: String,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// The scores the caller may see.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Scores {
    /// Individual scores: the moderator sees all; an evaluator their own and those of moderated
    /// questions; other buyer members those of moderated questions once awarded.
    pub scores: Vec<ScoreBody>,
    /// Consensus scores recorded so far.
    pub consensus: Vec<ConsensusBody>,
}

/// Reads the evaluation scores (buyer members; evaluators cannot see each other's scores
/// before moderation).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/scores", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Scores the caller may see", body = Scores),
        (status = 403, description = "A supplier", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn get_scores(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Scores>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Viewer)?;
    let consensus = state.store().consensus_of_tender(id).await?;
    let scores = access.visible_scores(state.store().scores_of_tender(id).await?, &consensus);
    Ok(Json(Scores {
        scores: scores
            .into_iter()
            .map(|s| ScoreBody {
                bid_id: s.bid_id,
                question_id: s.question_id,
                evaluator_id: s.evaluator_id,
                evaluator: s.evaluator_name,
                score: s.score.score,
                rationale: s.score.rationale,
                updated_at: s.updated_at,
            })
            .collect(),
        consensus: consensus
            .into_iter()
            .map(|c| ConsensusBody {
                bid_id: c.bid_id,
                question_id: c.question_id,
                score: c.score.score,
                justification: c.score.rationale,
                updated_at: c.updated_at,
            })
            .collect(),
    }))
}
