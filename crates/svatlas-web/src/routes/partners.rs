//! VCSE partner directory (see the module's handlers).

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// This module's routes, merged into the app's router.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
