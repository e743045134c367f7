//! `GET /compare?areas=A,B,C`: 2 to 6 areas side by side on the IoD2025 measures.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::need::figures::compare::{Column, CompareFigures, DomainFigures, Figure, Row};
use crate::need::lookup::normalise_code;
use crate::platform::download::{DownloadLinks, Format, Source};
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::format::number;
use crate::platform::svg::charts::{Bar, bar_chart};
use crate::platform::views::Layout;
use crate::state::AppState;

/// The page's query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparePageQuery {
    /// 2 to 6 area codes, comma separated (districts, LSOAs, wards, regions), e.g.
    /// `E06000026,E06000009,E08000003`.
    pub areas: Option<String>,
    /// `csv`, `xlsx` or `json` downloads the comparison table.
    pub format: Option<String>,
}

/// One domain: its rows and its bar chart.
pub struct DomainBlock {
    pub id: &'static str,
    pub label: &'static str,
    pub rows: Vec<Row>,
    pub chart: String,
}

/// The comparison page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/compare.html")]
pub struct ComparePage {
    pub layout: Layout,
    pub areas_input: String,
    pub columns: Vec<Column>,
    pub facts: Vec<Row>,
    pub domains: Vec<DomainBlock>,
    pub notes: Vec<String>,
    pub sources: Vec<Source>,
    pub downloads: Option<DownloadLinks>,
}

/// Splits the `areas` value into normalised codes (commas, spaces or new lines between).
pub fn parse_codes(value: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for code in value
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(normalise_code)
        .filter(|c| !c.is_empty())
    {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// Compares 2 to 6 areas on the IoD2025 measures: official district summaries for districts
/// (with ranks among the 296 districts), the LSOA's own score, rank and decile for LSOAs, a
/// bar chart per domain, population, and downloads.
#[utoipa::path(get, path = "/compare", tag = "pages",
    params(ComparePageQuery),
    responses(
        (status = 200, description = "Comparison page (a form when no areas are given), or the table as a file with `format`", content_type = "text/html"),
        (status = 422, description = "Fewer than 2 or more than 6 areas, unknown codes (named), or areas outside IoD2025", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn get_compare_page(
    State(state): State<AppState>,
    PageQuery(query): PageQuery<ComparePageQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let data = state.area_data()?;
    let codes = parse_codes(query.areas.as_deref().unwrap_or(""));
    if codes.is_empty() && format == Format::Html {
        return Ok(ComparePage {
            layout: Layout::new("need"),
            areas_input: String::new(),
            columns: Vec::new(),
            facts: Vec::new(),
            domains: Vec::new(),
            notes: Vec::new(),
            sources: Vec::new(),
            downloads: None,
        }
        .into_response());
    }
    let figures = CompareFigures::build(data, codes)?;
    if format != Format::Html {
        return Ok(figures.table().download(format)?);
    }
    Ok(ComparePage {
        layout: Layout::new("need"),
        areas_input: figures.codes.join(", "),
        facts: figures.facts.iter().map(Figure::row).collect(),
        domains: figures
            .domains
            .iter()
            .map(|d| domain_block(&figures, d))
            .collect(),
        downloads: Some(DownloadLinks::new(
            "/compare",
            &[("areas", figures.codes.join(","))],
        )),
        columns: figures.columns,
        notes: figures.notes,
        sources: figures.sources,
    }
    .into_response())
}

/// A domain's rows with its bar chart of average scores.
fn domain_block(figures: &CompareFigures, d: &DomainFigures) -> DomainBlock {
    let bars: Vec<Bar> = figures
        .columns
        .iter()
        .zip(&d.average_scores)
        .map(|(c, v)| Bar {
            label: c.name.clone(),
            value: v.unwrap_or(f64::NAN),
            text: number(*v, 2),
        })
        .collect();
    let (id, label) = (d.domain.id(), d.domain.label());
    let chart = bar_chart(
        &format!("chart-{id}"),
        &format!("{label}: average score by area"),
        &format!(
            "Horizontal bars of the IoD2025 {label} average score of each area (higher = more deprived); the figures are in the table beside the chart."
        ),
        &bars,
    );
    DomainBlock {
        id,
        label,
        rows: d.figures.iter().map(Figure::row).collect(),
        chart,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_codes;

    #[test]
    fn codes_are_split_normalised_and_deduplicated() {
        assert_eq!(
            parse_codes(" e06000026, E06000009\nE06000026 ,,"),
            vec!["E06000026".to_owned(), "E06000009".to_owned()]
        );
        assert!(parse_codes(" , ").is_empty());
    }
}
