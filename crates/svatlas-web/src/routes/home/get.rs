//! `GET /`: the home page.

use axum::extract::State;

use crate::state::AppState;
use crate::views::{HomePage, VERSION};

/// Home page: what sv-atlas is and links to what exists.
#[utoipa::path(get, path = "/", tag = "pages",
    responses((status = 200, description = "Home page", content_type = "text/html")))]
pub async fn get_home(State(state): State<AppState>) -> HomePage {
    HomePage {
        version: VERSION,
        database: state.store().backend().to_string(),
    }
}
