//! `GET /transparency`: buyers who publish their social value delivery.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use uuid::Uuid;

use crate::platform::error::PageError;
use crate::platform::views::Layout;
use crate::state::AppState;

/// The list page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/transparency/list.html")]
pub struct TransparencyList {
    pub layout: Layout,
    pub buyers: Vec<(Uuid, String)>,
}

/// Lists the buyers that publish a transparency page (public).
#[utoipa::path(get, path = "/transparency", tag = "pages",
    responses((status = 200, description = "Buyers publishing their figures", content_type = "text/html")))]
pub async fn list_transparency(
    State(state): State<AppState>,
) -> Result<TransparencyList, PageError> {
    Ok(TransparencyList {
        layout: Layout::new("procurement"),
        buyers: state.store().transparent_buyers().await?,
    })
}
