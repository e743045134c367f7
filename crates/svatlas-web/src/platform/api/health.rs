use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::state::AppState;

// `GET /healthz`: is the service up and can it reach its database?

/// Health report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `"ok"` or `"degraded"`.
    pub status: &'static str,
    /// sv-atlas version.
    pub version: &'static str,
    /// `"sqlite"` or `"postgres"`.
    pub database: String,
    /// Whether the database answered.
    pub ok: bool,
    /// Highest applied schema version, when the database answered.
    pub schema_version: Option<i64>,
}

/// Reports service health; 503 when the database does not answer.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses((status = 200, description = "Healthy", body = Health),
               (status = 503, description = "Database unreachable", body = Health)))]
#[tracing::instrument(skip_all)]
pub async fn get_health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let store = state.store();
    let schema_version = match store.ping().await {
        Ok(()) => store.schema_version().await.ok(),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database did not answer");
            None
        }
    };
    let ok = schema_version.is_some();
    let health = Health {
        status: if ok { "ok" } else { "degraded" },
        version: env!("CARGO_PKG_VERSION"),
        database: store.backend().to_string(),
        ok,
        schema_version,
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(health))
}
