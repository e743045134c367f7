pub(crate) mod api;
pub mod auth;
pub mod download;
pub mod error;
pub(crate) mod extract;
pub mod format;
pub(crate) mod pages;
pub mod response_cache;
pub mod svg;
pub(crate) mod upload;
pub(crate) mod views;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Every route of this job, pages and API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pages::developers::get::get_developers))
        .routes(routes!(pages::assets::get::get_asset))
        .routes(routes!(api::health::get::get_health))
        .routes(routes!(api::openapi::get::get_openapi))
}
