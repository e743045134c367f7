use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use svatlas_domain::ENGINE_VERSION;
use svatlas_domain::sroi::{self, Project, Scenario, ScenarioResult, Sensitivity, SroiResult};
use svatlas_store::calculations::SavedCalculation;
use uuid::Uuid;

use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiPath};
use crate::state::AppState;

// `POST /api/v1/sroi/calculate`: run the SROI engine on a project sent as JSON.

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

// `GET /api/v1/sroi/calculations/{id}`: a saved calculation.

/// A calculation saved with `"save": true`: the request as sent, the result, the engine version
/// and a content hash of the request.
#[utoipa::path(get, path = "/api/v1/sroi/calculations/{id}", tag = "sroi",
    params(("id" = String, Path, description = "Calculation id returned as `calculation_id`")),
    responses(
        (status = 200, description = "The saved calculation", body = inline(SavedCalculationSchema)),
        (status = 404, description = "No calculation with that id", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn get_calculation(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<SavedCalculation>, AppError> {
    let not_found = || AppError::NotFound(format!("no saved calculation with id {id:?}"));
    let uuid = Uuid::parse_str(&id).map_err(|_| not_found())?;
    match state.store().get_calculation(uuid).await {
        Ok(saved) => Ok(Json(saved)),
        Err(svatlas_store::StoreError::NotFound) => Err(not_found()),
        Err(e) => Err(e.into()),
    }
}

/// OpenAPI description of [`SavedCalculation`] (the store crate does not depend on utoipa).
#[derive(utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "only describes the JSON shape for the OpenAPI document"
)]
pub struct SavedCalculationSchema {
    id: Uuid,
    created_at: chrono::DateTime<chrono::Utc>,
    engine_version: String,
    content_hash: String,
    #[schema(value_type = Object)]
    request: serde_json::Value,
    #[schema(value_type = Object)]
    result: serde_json::Value,
}

// `POST /api/v1/sroi/sensitivity`: one-at-a-time sensitivity, switching values and named
// scenarios for a project, for a tornado chart and a side-by-side table.

/// A project (the calculate body) plus optional named scenarios.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SensitivityRequest {
    /// The project, exactly as sent to `/api/v1/sroi/calculate`.
    #[serde(flatten)]
    pub project: Project,
    /// Named sets of assumptions to compare side by side (at most 50).
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
}

/// The default one-at-a-time set (METHOD.md section 6), switching values and each scenario.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SensitivityResponse {
    /// Tornado rows (widest swing first), base figures and switching values.
    #[serde(flatten)]
    pub sensitivity: Sensitivity,
    /// Headline figures of each scenario, in the order sent.
    pub scenarios: Vec<ScenarioResult>,
}

/// Runs the default sensitivity set: each deflator ±10 percentage points, proxy and quantity
/// ±20%, duration ±1 year, drop-off ±10 points, discounting at 0% and a flat 7%; plus the values
/// that bring the ratio to 1.00 and any named scenarios.
#[utoipa::path(post, path = "/api/v1/sroi/sensitivity", tag = "sroi",
    request_body(content = SensitivityRequest),
    responses(
        (status = 200, description = "Sensitivity analysis", body = SensitivityResponse),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(outcomes = body.value.project.outcomes.len()))]
pub async fn sensitivity(
    body: ApiJson<SensitivityRequest>,
) -> Result<Json<SensitivityResponse>, AppError> {
    let request = body.value;
    let sensitivity = sroi::sensitivity(&request.project)?;
    let scenarios = sroi::scenarios(&request.project, &request.scenarios)?;
    Ok(Json(SensitivityResponse {
        sensitivity,
        scenarios,
    }))
}
