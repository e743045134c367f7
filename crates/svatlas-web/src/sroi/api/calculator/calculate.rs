//! `POST /api/v1/sroi/calculate`: run the SROI engine on a project sent as JSON.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use svatlas_domain::ENGINE_VERSION;
use svatlas_domain::sroi::{self, Project, SroiResult};
use uuid::Uuid;

use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::state::AppState;

/// The engine's result, plus the id under which it was saved when `"save": true` was sent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalculateResponse {
    /// Every figure of the calculation.
    #[serde(flatten)]
    pub result: SroiResult,
    /// Id of the saved calculation (only with `"save": true`); read it back from
    /// `GET /api/v1/sroi/calculations/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculation_id: Option<Uuid>,
}

/// Calculates gross and net social return, NPV, payback, RAG, per-year and per-outcome tables
/// and switching values. Send `"save": true` to store the request and result.
#[utoipa::path(post, path = "/api/v1/sroi/calculate", tag = "sroi",
    request_body(content = Project, description = "A project: inputs by year and outcomes, plus optional \"save\": true"),
    responses(
        (status = 200, description = "Calculated", body = CalculateResponse),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(outcomes = body.value.outcomes.len()))]
pub async fn calculate(
    State(state): State<AppState>,
    body: ApiJson<Project>,
) -> Result<Json<CalculateResponse>, AppError> {
    let save = match body.raw.get("save") {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::Bool(b)) => *b,
        Some(_) => {
            return Err(AppError::invalid(
                "invalid",
                "save",
                "save must be true or false",
            ));
        }
    };
    let result = sroi::calculate(&body.value)?;
    let calculation_id = if save {
        let result_json =
            serde_json::to_value(&result).map_err(|e| AppError::Internal(e.into()))?;
        let saved = state
            .store()
            .save_calculation("api", ENGINE_VERSION, &body.raw, &result_json)
            .await?;
        Some(saved.id)
    } else {
        None
    };
    Ok(Json(CalculateResponse {
        result,
        calculation_id,
    }))
}
