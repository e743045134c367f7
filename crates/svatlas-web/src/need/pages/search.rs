use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::need::figures::search::{FoundGroup, PostcodeResult, Search, SearchResults};
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::views::Layout;
use crate::state::AppState;

// `GET /search?q=`: find a place by name, code or postcode.

/// What to look for.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A place name (or part of one), an area code, or a postcode.
    pub q: Option<String>,
}

/// The search page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub q: String,
    pub groups: Vec<FoundGroup>,
    pub total: usize,
    pub postcode: Option<PostcodeResult>,
    /// A message about the postcode lookup (not found, loading, unavailable).
    pub postcode_note: Option<String>,
}

/// Finds places by name (case-insensitive, best matches first, grouped by area type), by code,
/// or by postcode. A unique exact match (an area code, a full name held by one area, or a
/// postcode whose LSOA is known exactly) redirects (303) to the area's page.
#[utoipa::path(get, path = "/search", tag = "pages",
    params(SearchQuery),
    responses(
        (status = 200, description = "The search form and results", content_type = "text/html"),
        (status = 303, description = "A unique exact match: redirect to `/areas/{code}`"),
        (status = 503, description = "Area data not loaded", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn get_search(
    State(state): State<AppState>,
    PageQuery(query): PageQuery<SearchQuery>,
) -> Result<Response, PageError> {
    let q = query.q.unwrap_or_default().trim().to_owned();
    let results = if q.is_empty() {
        SearchResults::default()
    } else {
        match Search::build(state.area_data()?, state.postcodes(), &q) {
            Search::Area(code) => return Ok(to_area(&code)),
            Search::Results(results) => results,
        }
    };
    Ok(SearchPage {
        layout: Layout::new("need"),
        q,
        groups: results.groups,
        total: results.total,
        postcode: results.postcode,
        postcode_note: results.postcode_note,
    }
    .into_response())
}

fn to_area(code: &str) -> Response {
    Redirect::to(&format!(
        "/areas/{}",
        crate::platform::download::encode(code)
    ))
    .into_response()
}
