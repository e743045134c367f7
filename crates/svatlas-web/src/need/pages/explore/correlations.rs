//! `GET /correlations`: how two indicators vary together (scatter plot, fitted line, Pearson,
//! Spearman, plain reading), or a correlation matrix of several (`matrix=`).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_areas::AreaFrame;

use super::{OptionGroup, SelectOption, indicator_groups, level_options};
use crate::need::correlation::CorrelationQuery;
use crate::need::correlation_matrix::MatrixRequest;
use crate::need::figures::correlations::{
    MatrixFigures, MatrixRow, PointRow, ScatterFigures, Stat,
};
use crate::platform::download::{DownloadLinks, Format, Source};
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::format::thousands;
use crate::platform::svg::charts::{self, Scatter};
use crate::platform::views::Layout;
use crate::state::AppState;

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
mod tests {
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
