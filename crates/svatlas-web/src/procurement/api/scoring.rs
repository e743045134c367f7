//! The stateless bid-scoring helper.

use axum::Json;
use svatlas_domain::procurement::scoring::{self, ScoringRequest, ScoringResult};

use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;

// `POST /api/v1/scoring/evaluate`: score and rank bids (weighted score or price per quality
// point). Stateless and public: nothing is stored, so no token is needed.

/// Scores bids as SOCIAL_VALUE_MODEL.md §4 describes.
///
/// `weighted_score`: each bid gets `price_score` (`W_price × lowest price / price`),
/// `quality_score` (`W_quality × quality / 100`), `social_value_score`
/// (`W_sv × social_value / 100`), `total` and `rank` (1 = highest total). Weights are percent
/// and add up to 100, with social value at least 10 (a warning above 30).
///
/// `price_per_quality_point`: each bid gets `price_per_quality_point` (`price / quality`) and
/// `rank` (1 = lowest). Here `quality` is the bid's total quality points **including** its
/// social value score; `social_value` is optional and not added; `weights` are not used.
///
/// Equal figures share a rank (1, 1, 3). Bids come back in the order sent, unrounded.
#[utoipa::path(post, path = "/api/v1/scoring/evaluate", tag = "procurement",
    request_body(content = ScoringRequest, description = "The method, weights (weighted_score) and 1 to 200 bids with unique names"),
    responses(
        (status = 200, description = "Every bid scored and ranked, plus any warnings", body = ScoringResult),
        (status = 422, description = "A value is not acceptable; `field` names it, e.g. `bids[1].price` or `weights.social_value`", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(bids = body.value.bids.len()))]
pub async fn evaluate(body: ApiJson<ScoringRequest>) -> Result<Json<ScoringResult>, AppError> {
    Ok(Json(scoring::evaluate(&body.value)?))
}
