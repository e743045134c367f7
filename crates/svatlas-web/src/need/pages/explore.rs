//! Explorer pages over the local-need data: rankings, comparisons, correlations and the data
//! directory. The figures come from the same functions as the JSON API; this module only holds
//! what the pages share (form options); their figures are built in `need::figures`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_areas::AreaFrame;
use svatlas_areas::geography::AreaType;

use crate::need::correlation::CorrelationQuery;
use crate::need::correlation_matrix::MatrixRequest;
use crate::need::figures::compare::{self, Column, CompareFigures, DomainFigures, Figure};
use crate::need::figures::correlations::{
    MatrixFigures, MatrixRow, PointRow, ScatterFigures, Stat,
};
use crate::need::figures::data::{DataFigures, DatasetEntry};
use crate::need::figures::rankings::{self, RankingFigures};
use crate::need::lookup::normalise_code;
use crate::need::rankings::RankingQuery;
use crate::platform::download::{DownloadLinks, Format, Source, query_string};
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::format::{number, thousands};
use crate::platform::svg::charts::{self, Bar, Scatter, bar_chart};
use crate::platform::views::Layout;
use crate::state::AppState;

/// One `<option>`.
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// An `<optgroup>` of indicators: one dataset.
pub struct OptionGroup {
    pub label: String,
    pub options: Vec<SelectOption>,
}

/// Every indicator, grouped by dataset in catalogue order, with `selected` marked.
pub fn indicator_groups(frame: &AreaFrame, selected: &str) -> Vec<OptionGroup> {
    frame
        .datasets()
        .iter()
        .map(|d| OptionGroup {
            label: format!("{} ({})", d.name, d.edition),
            options: frame
                .indicators()
                .iter()
                .filter(|i| i.dataset == d.id)
                .map(|i| SelectOption {
                    value: i.id.clone(),
                    label: i.name.clone(),
                    selected: i.id == selected,
                })
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

/// Every area type, with `selected` marked.
pub fn level_options(selected: AreaType) -> Vec<SelectOption> {
    AreaType::ALL
        .iter()
        .map(|t| SelectOption {
            value: t.as_str().to_owned(),
            label: t.label().to_owned(),
            selected: *t == selected,
        })
        .collect()
}

// `GET /compare?areas=A,B,C`: 2 to 6 areas side by side on the IoD2025 measures.

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
    pub rows: Vec<compare::Row>,
    pub chart: String,
}

/// The comparison page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/compare.html")]
pub struct ComparePage {
    pub layout: Layout,
    pub areas_input: String,
    pub columns: Vec<Column>,
    pub facts: Vec<compare::Row>,
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
mod compare_tests {
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

// `GET /correlations`: how two indicators vary together (scatter plot, fitted line, Pearson,
// Spearman, plain reading), or a correlation matrix of several (`matrix=`).

/// Default pair: IoD2025 district average scores of the Income and Health domains.
pub const DEFAULT_X: &str = "iod2025.income.average_score";
/// See [`DEFAULT_X`].
pub const DEFAULT_Y: &str = "iod2025.health.average_score";
/// Default matrix: the IMD and the seven IoD2025 domains, district average scores.
pub const DEFAULT_MATRIX: [&str; 8] = [
    "iod2025.imd.average_score",
    "iod2025.income.average_score",
    "iod2025.employment.average_score",
    "iod2025.education.average_score",
    "iod2025.health.average_score",
    "iod2025.crime.average_score",
    "iod2025.barriers.average_score",
    "iod2025.living_environment.average_score",
];
/// The page's query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CorrelationsPageQuery {
    /// First indicator id (x axis); default `iod2025.income.average_score`.
    pub x: Option<String>,
    /// Second indicator id (y axis); default `iod2025.health.average_score`.
    pub y: Option<String>,
    /// Area type to compare over; default the main geography of `x` (or of the first matrix
    /// indicator).
    pub level: Option<String>,
    /// Only areas inside this area code.
    pub within: Option<String>,
    /// Comma-separated indicator ids for a correlation matrix instead of a scatter plot (2 to
    /// 20; empty = the IoD2025 domains at district level).
    pub matrix: Option<String>,
    /// `csv`, `xlsx` or `json` downloads the plotted values (or the matrix).
    pub format: Option<String>,
}

/// The correlations page (scatter or matrix mode).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/correlations.html")]
pub struct CorrelationsPage {
    pub layout: Layout,
    pub is_matrix: bool,
    pub x_groups: Vec<OptionGroup>,
    pub y_groups: Vec<OptionGroup>,
    pub levels: Vec<SelectOption>,
    pub within: String,
    pub matrix_input: String,
    pub heading: String,
    pub reading: String,
    pub chart: String,
    pub chart_note: String,
    pub stats: Vec<Stat>,
    pub points: Vec<PointRow>,
    pub points_note: String,
    pub x_name: String,
    pub y_name: String,
    pub matrix_labels: Vec<String>,
    pub matrix_rows: Vec<MatrixRow>,
    pub matrix_link: String,
    pub sources: Vec<Source>,
    pub downloads: DownloadLinks,
}

fn trimmed(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A scatter plot of two indicators with the fitted least-squares line and their correlation
/// (Pearson's r with 95% interval and p-value, Spearman's rho, a plain reading), or with
/// `matrix=` a correlation-matrix heatmap; `format=` downloads the figures.
#[utoipa::path(get, path = "/correlations", tag = "pages",
    params(CorrelationsPageQuery),
    responses(
        (status = 200, description = "Correlations page, or its figures as a file with `format`", content_type = "text/html"),
        (status = 422, description = "Unknown indicator or level, indicator not at the level, unknown `within`, too few areas", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn get_correlations_page(
    State(state): State<AppState>,
    PageQuery(query): PageQuery<CorrelationsPageQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let data = state.area_data()?;
    let frame = data.frame();
    let within = trimmed(query.within.as_deref());
    let x_id = trimmed(query.x.as_deref()).unwrap_or_else(|| DEFAULT_X.to_owned());
    let y_id = trimmed(query.y.as_deref()).unwrap_or_else(|| DEFAULT_Y.to_owned());
    if let Some(ids) = query.matrix.as_deref() {
        let request = MatrixRequest {
            indicators: matrix_ids(ids),
            level: trimmed(query.level.as_deref()),
            within,
        };
        let figures = MatrixFigures::build(frame, &request)?;
        if format != Format::Html {
            return Ok(figures.table().download(format)?);
        }
        return Ok(matrix_page(frame, &figures, &x_id, &y_id).into_response());
    }
    let request = CorrelationQuery {
        x: Some(x_id),
        y: Some(y_id),
        level: query.level.clone(),
        within,
    };
    let figures = ScatterFigures::build(data, &request)?;
    if format != Format::Html {
        return Ok(figures.table().download(format)?);
    }
    Ok(scatter_page(frame, &figures).into_response())
}

/// The indicators of `matrix=`: comma-separated ids, or the IoD2025 domains when blank.
fn matrix_ids(list: &str) -> Vec<String> {
    let ids: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if ids.is_empty() {
        DEFAULT_MATRIX.iter().map(|s| (*s).to_owned()).collect()
    } else {
        ids
    }
}

/// Link to the default matrix, offered in scatter mode too.
fn matrix_link() -> String {
    format!(
        "/correlations?matrix={}&level=lad24",
        crate::platform::download::encode(&DEFAULT_MATRIX.join(","))
    )
}

/// The page in matrix mode: the heatmap and the table of r.
fn matrix_page(
    frame: &AreaFrame,
    figures: &MatrixFigures,
    x_id: &str,
    y_id: &str,
) -> CorrelationsPage {
    let (result, level, place) = (&figures.result, figures.level, &figures.place);
    let chart = charts::heatmap(
        "matrix",
        &format!("Correlation matrix, {}{place}", level.label()),
        "Each cell is Pearson's r between the row and column indicators: blue positive, red negative, darker is stronger; the values are printed in the cells and in the table below.",
        &figures.labels,
        &result.pearson_r,
    );
    let query_pairs = [
        ("matrix", result.indicators.join(",")),
        ("level", result.level.clone()),
        ("within", result.within.clone().unwrap_or_default()),
    ];
    CorrelationsPage {
        layout: Layout::new("need"),
        is_matrix: true,
        x_groups: indicator_groups(frame, x_id),
        y_groups: indicator_groups(frame, y_id),
        levels: level_options(level),
        within: result.within.clone().unwrap_or_default(),
        matrix_input: result.indicators.join(", "),
        heading: format!("Correlation matrix: {}{place}", level.label()),
        reading: String::new(),
        chart,
        chart_note: format!(
            "Pearson's r between each pair of the {} indicators, over the areas that have values of both. Blue is positive, red negative; a correlation does not show cause.",
            figures.labels.len()
        ),
        stats: Vec::new(),
        points: Vec::new(),
        points_note: String::new(),
        x_name: String::new(),
        y_name: String::new(),
        matrix_rows: figures.rows(),
        matrix_labels: figures.labels.clone(),
        matrix_link: matrix_link(),
        sources: figures.sources.clone(),
        downloads: DownloadLinks::new("/correlations", &query_pairs),
    }
}

/// The page in scatter mode: the plot, its statistics and the plotted values.
fn scatter_page(frame: &AreaFrame, figures: &ScatterFigures<'_>) -> CorrelationsPage {
    let (x, y, result) = (figures.x, figures.y, &figures.result);
    let (points, points_note) = figures.rows();
    let query_pairs = [
        ("x", x.id.clone()),
        ("y", y.id.clone()),
        ("level", result.level.clone()),
        ("within", result.within.clone().unwrap_or_default()),
    ];
    let (chart, chart_note) = scatter_chart(figures);
    CorrelationsPage {
        layout: Layout::new("need"),
        is_matrix: false,
        x_groups: indicator_groups(frame, &x.id),
        y_groups: indicator_groups(frame, &y.id),
        levels: level_options(figures.level),
        within: result.within.clone().unwrap_or_default(),
        matrix_input: String::new(),
        heading: format!("{} and {}", x.name, y.name),
        reading: format!("{}.", capitalise(&result.reading)),
        chart,
        chart_note,
        stats: figures.stats(),
        points,
        points_note,
        x_name: x.name.clone(),
        y_name: y.name.clone(),
        matrix_labels: Vec::new(),
        matrix_rows: Vec::new(),
        matrix_link: matrix_link(),
        sources: figures.sources.clone(),
        downloads: DownloadLinks::new("/correlations", &query_pairs),
    }
}

/// The scatter plot and the note under it.
fn scatter_chart(figures: &ScatterFigures<'_>) -> (String, String) {
    let (x, y) = (figures.x, figures.y);
    let points = figures.points();
    let binned = charts::is_binned(points.len());
    let x_label = format!("{} ({})", x.name, x.unit);
    let y_label = format!("{} ({})", y.name, y.unit);
    let title = format!(
        "{} against {}, {}{}",
        y.name,
        x.name,
        figures.level.label(),
        figures.place
    );
    let desc = format!(
        "Scatter plot of {} areas{}, with the least-squares line in red. {}",
        thousands(points.len() as u64),
        if binned {
            " binned into a grid: darker cells hold more areas"
        } else {
            ", one grey dot per area"
        },
        figures.result.reading
    );
    let chart = charts::scatter(&Scatter {
        id: "scatter",
        title: &title,
        desc: &desc,
        x_label: &x_label,
        y_label: &y_label,
        points: &points,
    });
    let note = if binned {
        format!(
            "There are {} areas, too many to draw one by one, so the plot area is divided into a {} by {} grid and each cell is shaded by how many areas fall in it (darker = more, on a logarithmic scale). Choose an area in “Only areas inside” to see individual areas.",
            thousands(points.len() as u64),
            charts::BINS.0,
            charts::BINS.1
        )
    } else {
        "Each grey dot is one area; the red line is the least-squares fit.".to_owned()
    };
    (chart, note)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod correlations_tests {
    use super::*;

    #[test]
    fn readings_start_with_a_capital() {
        assert_eq!(capitalise("a strong"), "A strong");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn a_blank_matrix_is_the_iod_domains() {
        assert_eq!(
            matrix_ids(" , "),
            DEFAULT_MATRIX.map(str::to_owned).to_vec()
        );
        assert_eq!(matrix_ids("a, b,"), vec!["a".to_owned(), "b".to_owned()]);
    }
}

// `GET /data`: the data directory: every dataset with its provenance and licence, every
// indicator, and the licence and attribution statements the service relies on.

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

// `GET /rankings`: areas ranked by an indicator, a page at a time, downloadable whole.

/// Indicator shown when none is asked for: the official IoD2025 district IMD average score.
pub const DEFAULT_INDICATOR: &str = "iod2025.imd.average_score";

/// The page's query: the API's ranking query plus `format`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingsPageQuery {
    /// Indicator id; default `iod2025.imd.average_score` (IoD2025 IMD average score of
    /// districts).
    pub indicator: Option<String>,
    /// Area type to rank (`lad24`, `lsoa21`, ...); default the indicator's own geography.
    pub level: Option<String>,
    /// Only areas inside this area code.
    pub within: Option<String>,
    /// `desc` or `asc`; default most deprived first.
    pub order: Option<String>,
    /// Page from 1.
    pub page: Option<String>,
    /// Areas per page, 1 to 500; default 50.
    pub per_page: Option<String>,
    /// `csv`, `xlsx` or `json` downloads the whole ranking (every page).
    pub format: Option<String>,
}

/// One item of the GOV.UK pagination list: a page link or an ellipsis (`number` None).
pub struct PageItem {
    pub number: Option<u64>,
    pub href: String,
    pub current: bool,
}

/// The rankings page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/rankings.html")]
pub struct RankingsPage {
    pub layout: Layout,
    pub groups: Vec<OptionGroup>,
    pub levels: Vec<SelectOption>,
    pub within: String,
    pub indicator_name: String,
    pub indicator_id: String,
    pub dataset: String,
    pub level_label: String,
    pub direction: &'static str,
    pub descending: bool,
    pub total: String,
    pub showing: String,
    pub rows: Vec<rankings::Row>,
    pub sort_rank_href: String,
    pub sort_value_href: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageItem>,
    pub sources: Vec<Source>,
    pub downloads: DownloadLinks,
}

/// Page numbers to show: first, last, current and its neighbours, ellipses between.
pub fn page_numbers(current: u64, last: u64) -> Vec<Option<u64>> {
    let mut out = Vec::new();
    for n in 1..=last {
        let shown = n == 1 || n == last || n.abs_diff(current) <= 1;
        if shown {
            out.push(Some(n));
        } else if out.last() != Some(&None) {
            out.push(None);
        }
    }
    out
}

/// Areas of one level ranked by an indicator (most deprived first by default), a page at a
/// time, with the whole ranking as CSV, XLSX or JSON (`format=`).
#[utoipa::path(get, path = "/rankings", tag = "pages",
    params(RankingsPageQuery),
    responses(
        (status = 200, description = "Rankings page, or the whole ranking as a file with `format`", content_type = "text/html"),
        (status = 422, description = "Unknown indicator, level, area, order or page", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn get_rankings_page(
    State(state): State<AppState>,
    PageQuery(query): PageQuery<RankingsPageQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let data = state.area_data()?;
    let asked = query
        .indicator
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let api_query = RankingQuery {
        indicator: Some(asked.unwrap_or(DEFAULT_INDICATOR).to_owned()),
        level: query.level,
        within: query.within,
        order: query.order,
        page: query.page,
        per_page: query.per_page,
    };
    let figures = RankingFigures::build(data, &api_query, format != Format::Html)?;
    if format != Format::Html {
        return Ok(figures.table().download(format)?);
    }
    Ok(rankings_page(data.frame(), &figures).into_response())
}

/// The page: the figures with the form, sort links and pagination.
fn rankings_page(frame: &AreaFrame, figures: &RankingFigures<'_>) -> RankingsPage {
    let (indicator, result, level) = (figures.indicator, &figures.result, figures.level);
    let descending = result.order == "desc";
    let base = |order: &str, page: u64| page_href(figures, order, page);
    let flipped = if descending { "asc" } else { "desc" };
    let last = (result.total as u64).div_ceil(result.per_page).max(1);
    let pages = page_numbers(result.page.min(last), last)
        .into_iter()
        .map(|n| PageItem {
            number: n,
            href: n.map(|n| base(result.order, n)).unwrap_or_default(),
            current: n == Some(result.page),
        })
        .collect();
    let query_pairs = [
        ("indicator", indicator.id.clone()),
        ("level", result.level.clone()),
        ("within", result.within.clone().unwrap_or_default()),
        ("order", result.order.to_owned()),
    ];
    RankingsPage {
        layout: Layout::new("need"),
        groups: indicator_groups(frame, &indicator.id),
        levels: level_options(level),
        within: result.within.clone().unwrap_or_default(),
        indicator_name: indicator.name.clone(),
        indicator_id: indicator.id.clone(),
        dataset: indicator.dataset.clone(),
        level_label: format!("{}{}", level.label(), figures.place),
        direction: figures.direction(),
        descending,
        total: thousands(result.total as u64),
        showing: figures.showing(),
        rows: figures.rows(),
        sort_rank_href: base(flipped, 1),
        sort_value_href: base(flipped, 1),
        previous: (result.page > 1 && result.page <= last)
            .then(|| base(result.order, result.page - 1)),
        next: (result.page < last).then(|| base(result.order, result.page + 1)),
        pages,
        sources: figures.sources.clone(),
        downloads: DownloadLinks::new("/rankings", &query_pairs),
    }
}

/// Link to a page of the ranking in an order; defaults are left out of the URL.
fn page_href(figures: &RankingFigures<'_>, order: &str, page: u64) -> String {
    let result = &figures.result;
    let per_page = if result.per_page == 50 {
        String::new()
    } else {
        result.per_page.to_string()
    };
    let page = if page == 1 {
        String::new()
    } else {
        page.to_string()
    };
    format!(
        "/rankings?{}",
        query_string(&[
            ("indicator", figures.indicator.id.clone()),
            ("level", result.level.clone()),
            ("within", result.within.clone().unwrap_or_default()),
            ("order", order.to_owned()),
            ("per_page", per_page),
            ("page", page),
        ])
    )
}

#[cfg(test)]
mod rankings_tests {
    use super::page_numbers;

    #[test]
    fn pagination_shows_ends_and_neighbours() {
        assert_eq!(page_numbers(1, 1), vec![Some(1)]);
        assert_eq!(
            page_numbers(5, 10),
            vec![Some(1), None, Some(4), Some(5), Some(6), None, Some(10)]
        );
        assert_eq!(page_numbers(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_numbers(2, 7),
            vec![Some(1), Some(2), Some(3), None, Some(7)]
        );
    }
}
