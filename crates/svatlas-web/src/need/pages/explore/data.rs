//! `GET /data`: the data directory: every dataset with its provenance and licence, every
//! indicator, and the licence and attribution statements the service relies on.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::need::indicators::direction;
use crate::platform::download::{DataTable, DownloadLinks, Format, Source, encode};
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

/// One indicator row.
pub struct IndicatorRow {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub geography: String,
    pub direction: &'static str,
    /// CSV of its values at its main geography.
    pub download: String,
}

/// One dataset with its indicators.
pub struct DatasetEntry {
    pub id: String,
    pub name: String,
    pub publisher: String,
    pub edition: String,
    pub geography: String,
    pub licence: String,
    pub attribution: String,
    pub description: String,
    pub source_url: Option<String>,
    pub indicator_count: String,
    pub value_count: String,
    pub indicators: Vec<IndicatorRow>,
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

fn direction_words(higher_is_more_deprived: Option<bool>) -> &'static str {
    match higher_is_more_deprived {
        Some(true) => "Higher is more deprived",
        Some(false) => "Higher is less deprived",
        None => "No direction",
    }
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
    let data = state.area_data()?;
    let frame = data.frame();
    let levels = |id: &str, main| {
        let mut levels = frame.levels_of(id);
        levels.sort_by_key(|t| *t != main);
        levels
    };
    if format != Format::Html {
        let mut table = DataTable::new(
            "sv-atlas indicators",
            "sv-atlas-indicators",
            &[
                "id",
                "name",
                "dataset",
                "unit",
                "geography",
                "direction",
                "description",
            ],
        );
        table.rows = frame
            .indicators()
            .iter()
            .map(|i| {
                let geo: Vec<&str> = levels(&i.id, i.geography)
                    .iter()
                    .map(|t| t.as_str())
                    .collect();
                vec![
                    i.id.clone().into(),
                    i.name.clone().into(),
                    i.dataset.clone().into(),
                    i.unit.clone().into(),
                    geo.join(" ").into(),
                    direction(i.higher_is_more_deprived).unwrap_or("").into(),
                    i.description.clone().into(),
                ]
            })
            .collect();
        table.sources = frame.datasets().iter().map(Source::of).collect();
        return Ok(table.download(format)?);
    }
    let datasets = frame
        .datasets()
        .iter()
        .map(|d| {
            let indicators: Vec<IndicatorRow> = frame
                .indicators()
                .iter()
                .filter(|i| i.dataset == d.id)
                .map(|i| {
                    let geo = levels(&i.id, i.geography);
                    IndicatorRow {
                        id: i.id.clone(),
                        name: i.name.clone(),
                        unit: i.unit.clone(),
                        geography: geo
                            .iter()
                            .map(|t| t.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        direction: direction_words(i.higher_is_more_deprived),
                        download: format!(
                            "/rankings?indicator={}&level={}&format=csv",
                            encode(&i.id),
                            geo.first().copied().unwrap_or(i.geography).as_str()
                        ),
                    }
                })
                .collect();
            DatasetEntry {
                id: d.id.clone(),
                name: d.name.clone(),
                publisher: d.publisher.clone(),
                edition: d.edition.clone(),
                geography: d.geography.label().to_owned(),
                licence: d.licence.clone(),
                attribution: d.attribution.clone(),
                description: d.description.clone(),
                source_url: d.source_url.clone(),
                indicator_count: thousands(indicators.len() as u64),
                value_count: thousands(data.value_count(&d.id) as u64),
                indicators,
            }
        })
        .collect();
    Ok(DataPage {
        layout: Layout::new("need"),
        datasets,
        indicator_total: thousands(frame.indicators().len() as u64),
        downloads: DownloadLinks::new("/data", &[]),
    }
    .into_response())
}
