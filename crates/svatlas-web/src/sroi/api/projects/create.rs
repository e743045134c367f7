//! `POST /api/v1/projects`: create a project.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Datelike;
use serde::Deserialize;
use svatlas_domain::calculator::{ProjectDetails, ProjectMode};
use uuid::Uuid;

use super::ProjectBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::state::AppState;

/// A new project.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
    /// Name (not blank).
    #[schema(pattern = r"\S")]
    pub name: String,
    /// `forecast` or `evaluative`.
    pub mode: ProjectMode,
    /// Owning organisation; needed only when the caller can edit in several.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// What the project does.
    #[serde(default)]
    pub description: String,
    /// Price base year (default: this year).
    #[serde(default)]
    #[schema(minimum = 1990, maximum = 2100)]
    pub price_base_year: Option<i32>,
    /// Start date, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(format = Date)]
    pub start_date: Option<String>,
    /// Area codes served.
    #[serde(default)]
    pub areas: Vec<String>,
    /// Deduct input leakage from the denominator (default false).
    #[serde(default)]
    pub deduct_input_leakage: bool,
}

/// Creates a project in the caller's organisation (editors and admins).
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects",
    request_body = CreateProject,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ProjectBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "organisation_id names an organisation the caller is not in", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn create_project(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: ApiJson<CreateProject>,
) -> Result<(StatusCode, Json<ProjectBody>), AppError> {
    let request = body.value;
    let organisation = caller.acting_organisation(
        request.organisation_id,
        "creating a project",
        "owns the project",
    )?;
    let details = ProjectDetails {
        name: request.name.trim().to_string(),
        description: request.description.trim().to_string(),
        mode: request.mode,
        start_date: request.start_date.filter(|d| !d.trim().is_empty()),
        price_base_year: request
            .price_base_year
            .unwrap_or_else(|| chrono::Utc::now().year()),
        areas: request.areas,
        deduct_input_leakage: request.deduct_input_leakage,
    };
    details.validate()?;
    let project = state
        .store()
        .create_project(
            &caller.user.email,
            organisation,
            Some(caller.user.id),
            &details,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(project.into())))
}
