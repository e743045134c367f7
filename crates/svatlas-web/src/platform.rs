pub(crate) mod api;
pub mod auth;
pub mod download;
pub mod error;
pub(crate) mod extract;
pub mod format;
pub(crate) mod forms;
pub(crate) mod openapi;
pub(crate) mod pages;
pub mod response_cache;
pub mod svg;
pub(crate) mod upload;
pub(crate) mod views;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Whether this build renders PDF reports (the `pdf` feature, on by default). Pages hide their
/// PDF links without it; the PDF routes stay and answer 501 (see [`pdf_not_available`]).
pub const PDF_AVAILABLE: bool = cfg!(feature = "pdf");

/// The answer of a PDF route in a build without the `pdf` feature: 501 with a message that
/// names what to download instead (`instead`, e.g. "download the Excel or CSV report instead").
#[cfg(not(feature = "pdf"))]
pub(crate) fn pdf_not_available(instead: &str) -> error::AppError {
    error::AppError::NotImplemented(format!(
        "PDF reports are not included in this build of sv-atlas; {instead}"
    ))
}

/// Every route of this job, pages and API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pages::developers::get_developers))
        .routes(routes!(pages::assets::get_asset))
        .routes(routes!(api::health::get_health))
        .routes(routes!(api::openapi::get_openapi))
}
