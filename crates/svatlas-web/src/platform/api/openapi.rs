use axum::{Extension, Json};
use std::sync::Arc;

// `GET /api/v1/openapi.json`: the OpenAPI document of every route.

/// The OpenAPI 3.1 document, built from the same route list as the router.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "system",
    responses((status = 200, description = "OpenAPI document", content_type = "application/json")))]
pub async fn get_openapi(
    Extension(doc): Extension<Arc<utoipa::openapi::OpenApi>>,
) -> Json<utoipa::openapi::OpenApi> {
    Json((*doc).clone())
}
