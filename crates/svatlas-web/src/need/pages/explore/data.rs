//! `GET /data`: the data directory: every dataset with its provenance and licence, every
//! indicator, and the licence and attribution statements the service relies on.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::need::figures::data::{DataFigures, DatasetEntry};
use crate::platform::download::{DownloadLinks, Format};
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::format::thousands;
use crate::platform::views::Layout;
use crate::state::AppState;

/// The page's query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DataPageQuery {
    /// `csv`, `xlsx` or `json` downloads the indicator list.
    pub format: Option<String>,
}

/// The data directory page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/data.html")]
pub struct DataPage {
    pub layout: Layout,
    pub datasets: Vec<DatasetEntry>,
    pub indicator_total: String,
    pub downloads: DownloadLinks,
}

/// Every dataset (publisher, edition, geography, licence, counts, description, attribution,
/// source) and every indicator grouped by dataset; `format=` downloads the indicator list.
#[utoipa::path(get, path = "/data", tag = "pages",
    params(DataPageQuery),
    responses(
        (status = 200, description = "Data directory page, or the indicator list as a file with `format`", content_type = "text/html"),
        (status = 422, description = "Unknown format", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn get_data_page(
    State(state): State<AppState>,
    PageQuery(query): PageQuery<DataPageQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let figures = DataFigures::build(state.area_data()?);
    if format != Format::Html {
        return Ok(figures.table().download(format)?);
    }
    Ok(DataPage {
        layout: Layout::new("need"),
        datasets: figures.entries(),
        indicator_total: thousands(figures.indicators.len() as u64),
        downloads: DownloadLinks::new("/data", &[]),
    }
    .into_response())
}
