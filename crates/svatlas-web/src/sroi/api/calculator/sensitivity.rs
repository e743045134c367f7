//! `POST /api/v1/sroi/sensitivity`: one-at-a-time sensitivity, switching values and named
//! scenarios for a project, for a tornado chart and a side-by-side table.

use axum::Json;
use serde::{Deserialize, Serialize};
use svatlas_domain::sroi::{self, Project, Scenario, ScenarioResult, Sensitivity};

use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;

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
