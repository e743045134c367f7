pub(crate) mod access;
pub(crate) mod api;
pub(crate) mod matches;
pub(crate) mod pages;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Every route of this job, pages and API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(pages::routes())
        .merge(api::routes())
}
