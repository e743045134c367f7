//! The Social Value Model catalogue as JSON.

use axum::Json;

use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiQuery;
use crate::procurement::model::{ModelQuery, ModelResponse, model_response, parse_edition};

// `GET /api/v1/model?edition=2020|2025`: one edition of the Social Value Model with the
// certainty of every row, and the suggested 2020 → 2025 mapping.

/// One edition of the UK Government Social Value Model: themes (2020) or missions (2025) →
/// policy outcomes → model award criteria (ids as written, e.g. "MAC 1.1") → reporting metrics,
/// each with its `certainty`, plus the suggested (not official) 2020 → 2025 mapping. Public.
#[utoipa::path(get, path = "/api/v1/model", tag = "procurement", params(ModelQuery),
    responses(
        (status = 200, description = "The edition's catalogue", body = ModelResponse),
        (status = 422, description = "edition missing or not 2020/2025; `field` is `edition`", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get_model(
    ApiQuery(query): ApiQuery<ModelQuery>,
) -> Result<Json<ModelResponse>, AppError> {
    let edition = parse_edition(query.edition.as_deref())?;
    Ok(Json(model_response(edition)))
}
