//! Procurement pages (see the module's handlers).

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// This module's page routes, merged into the app's router.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
