//! `GET /correlations`: how two indicators vary together (scatter plot, fitted line, Pearson,
//! Spearman, plain reading), or a correlation matrix of several (`matrix=`).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_areas::geography::AreaType;

use super::{OptionGroup, SelectOption, indicator_groups, level_options, sources_of};
use crate::need::correlation::{CorrelationQuery, correlation};
use crate::need::correlation_matrix::{MatrixRequest, matrix};
use crate::need::lookup::positions_within;
use crate::platform::download::{Cell, DataTable, DownloadLinks, Format, Source};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageQuery;
use crate::platform::format::{number, thousands};
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
/// Most points listed in the page's table (all are in the downloads).
pub const MAX_TABLE_POINTS: usize = 400;

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

/// One statistic.
pub struct Stat {
    pub label: &'static str,
    pub value: String,
}

/// One plotted point, formatted.
pub struct PointRow {
    pub code: String,
    pub name: String,
    pub x: String,
    pub y: String,
}

/// One matrix row, formatted.
pub struct MatrixRow {
    pub label: String,
    pub values: Vec<String>,
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

/// p-value as written on the page.
pub fn p_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "< 0.001".to_owned(),
        Some(p) => format!("{p:.3}"),
        None => "not computable".to_owned(),
    }
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
    let matrix_ids: Vec<String> = match query.matrix.as_deref() {
        Some(m) if !m.trim().is_empty() => m
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => DEFAULT_MATRIX.iter().map(|s| (*s).to_owned()).collect(),
    };
    let matrix_link = format!(
        "/correlations?matrix={}&level=lad24",
        crate::platform::download::encode(&DEFAULT_MATRIX.join(","))
    );
    let name_of = |id: &str| {
        frame
            .indicator(id)
            .map_or_else(|| id.to_owned(), |i| i.name.clone())
    };

    if query.matrix.is_some() {
        let level = trimmed(query.level.as_deref());
        let result = matrix(
            frame,
            &MatrixRequest {
                indicators: matrix_ids.clone(),
                level: level.clone(),
                within: within.clone(),
            },
        )?;
        let labels: Vec<String> = result.indicators.iter().map(|id| name_of(id)).collect();
        let datasets: Vec<String> = result
            .indicators
            .iter()
            .filter_map(|id| frame.indicator(id).map(|i| i.dataset.clone()))
            .collect();
        let sources = sources_of(frame, datasets.iter().map(String::as_str));
        let level_type: AreaType = result.level.parse().unwrap_or(AreaType::Lad24);
        let place = within_label(frame, result.within.as_deref());
        if format != Format::Html {
            let mut columns = vec!["indicator"];
            columns.extend(result.indicators.iter().map(String::as_str));
            let mut table = DataTable::new(
                format!(
                    "Correlation matrix (Pearson's r), {}{place}",
                    level_type.label()
                ),
                &format!("correlation-matrix-{}", result.level),
                &columns,
            );
            table.rows = result
                .indicators
                .iter()
                .zip(&result.pearson_r)
                .map(|(id, row)| {
                    let mut cells: Vec<Cell> = vec![id.clone().into()];
                    cells.extend(row.iter().map(|v| Cell::from(*v)));
                    cells
                })
                .collect();
            table.sources = sources;
            table.notes.push(
                "Pearson's r over the areas with values of both indicators; correlation does not show cause."
                    .to_owned(),
            );
            return Ok(table.download(format)?);
        }
        let chart = charts::heatmap(
            "matrix",
            &format!("Correlation matrix, {}{place}", level_type.label()),
            "Each cell is Pearson's r between the row and column indicators: blue positive, red negative, darker is stronger; the values are printed in the cells and in the table below.",
            &labels,
            &result.pearson_r,
        );
        let mut query_pairs = vec![("matrix", result.indicators.join(","))];
        query_pairs.push(("level", result.level.clone()));
        query_pairs.push(("within", result.within.clone().unwrap_or_default()));
        let page = CorrelationsPage {
            layout: Layout::new("need"),
            is_matrix: true,
            x_groups: indicator_groups(frame, &x_id),
            y_groups: indicator_groups(frame, &y_id),
            levels: level_options(level_type),
            within: result.within.clone().unwrap_or_default(),
            matrix_input: result.indicators.join(", "),
            heading: format!("Correlation matrix: {}{place}", level_type.label()),
            reading: String::new(),
            chart,
            chart_note: format!(
                "Pearson's r between each pair of the {} indicators, over the areas that have values of both. Blue is positive, red negative; a correlation does not show cause.",
                labels.len()
            ),
            stats: Vec::new(),
            points: Vec::new(),
            points_note: String::new(),
            x_name: String::new(),
            y_name: String::new(),
            matrix_rows: labels
                .iter()
                .zip(&result.pearson_r)
                .enumerate()
                .map(|(i, (label, row))| MatrixRow {
                    label: format!("{}. {label}", i + 1),
                    values: row.iter().map(|v| number(*v, 2)).collect(),
                })
                .collect(),
            matrix_labels: labels,
            matrix_link,
            sources,
            downloads: DownloadLinks::new("/correlations", &query_pairs),
        };
        return Ok(page.into_response());
    }

    let result = correlation(
        data,
        &CorrelationQuery {
            x: Some(x_id.clone()),
            y: Some(y_id.clone()),
            level: query.level.clone(),
            within: within.clone(),
        },
    )?;
    let (Some(x), Some(y)) = (frame.indicator(&result.x), frame.indicator(&result.y)) else {
        return Err(AppError::Internal(anyhow::anyhow!("correlated indicators vanished")).into());
    };
    let level: AreaType = result
        .level
        .parse()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("correlation level")))?;
    let areas = frame.areas(level);
    let positions: Vec<u32> = match &result.within {
        Some(code) => positions_within(frame, level, code)?,
        None => (0..areas.len() as u32).collect(),
    };
    let xs = frame.column(&x.id, level).unwrap_or_default();
    let ys = frame.column(&y.id, level).unwrap_or_default();
    // (position, x, y) of every area with both values.
    let pairs: Vec<(usize, f64, f64)> = positions
        .iter()
        .map(|&p| p as usize)
        .filter_map(|p| {
            let (a, b) = (*xs.get(p)?, *ys.get(p)?);
            (a.is_finite() && b.is_finite()).then_some((p, a, b))
        })
        .collect();
    let sources = sources_of(frame, [x.dataset.as_str(), y.dataset.as_str()]);
    let place = within_label(frame, result.within.as_deref());
    if format != Format::Html {
        let mut table = DataTable::new(
            format!("{} and {}, {}{place}", x.name, y.name, level.label()),
            &format!("correlation-{}-{}-{}", x.id, y.id, result.level),
            &["code", "name", &x.id, &y.id],
        );
        table.rows = pairs
            .iter()
            .filter_map(|&(p, a, b)| {
                let area = areas.get(p)?;
                Some(vec![
                    area.code.clone().into(),
                    area.name.clone().into(),
                    a.into(),
                    b.into(),
                ])
            })
            .collect();
        table.sources = sources;
        table.notes.push(format!(
            "n = {}, Pearson's r = {}, Spearman's rho = {}, p {}. {}",
            result.n,
            result.pearson_r,
            result
                .spearman_rho
                .map_or_else(|| "not computable".to_owned(), |r| r.to_string()),
            p_text(result.p_value),
            result.reading
        ));
        return Ok(table.download(format)?);
    }
    let points: Vec<(f64, f64)> = pairs.iter().map(|&(_, a, b)| (a, b)).collect();
    let binned = charts::is_binned(points.len());
    let line = charts::fit_line(&points);
    let x_label = format!("{} ({})", x.name, x.unit);
    let y_label = format!("{} ({})", y.name, y.unit);
    let title = format!("{} against {}, {}{place}", y.name, x.name, level.label());
    let desc = format!(
        "Scatter plot of {} areas{}, with the least-squares line in red. {}",
        thousands(points.len() as u64),
        if binned {
            " binned into a grid: darker cells hold more areas"
        } else {
            ", one grey dot per area"
        },
        result.reading
    );
    let chart = charts::scatter(&Scatter {
        id: "scatter",
        title: &title,
        desc: &desc,
        x_label: &x_label,
        y_label: &y_label,
        points: &points,
    });
    let chart_note = if binned {
        format!(
            "There are {} areas, too many to draw one by one, so the plot area is divided into a {} by {} grid and each cell is shaded by how many areas fall in it (darker = more, on a logarithmic scale). Choose an area in “Only areas inside” to see individual areas.",
            thousands(points.len() as u64),
            charts::BINS.0,
            charts::BINS.1
        )
    } else {
        "Each grey dot is one area; the red line is the least-squares fit.".to_owned()
    };
    let mut stats = vec![
        Stat {
            label: "Areas compared (n)",
            value: thousands(result.n as u64),
        },
        Stat {
            label: "Pearson's r",
            value: format!("{:.3}", result.pearson_r),
        },
        Stat {
            label: "95% confidence interval of r",
            value: result.pearson_ci95.map_or_else(
                || "not computable".to_owned(),
                |[lo, hi]| format!("{lo:.3} to {hi:.3}"),
            ),
        },
        Stat {
            label: "Spearman's rho (rank correlation)",
            value: result
                .spearman_rho
                .map_or_else(|| "not computable".to_owned(), |r| format!("{r:.3}")),
        },
        Stat {
            label: "p-value (two-sided)",
            value: p_text(result.p_value),
        },
    ];
    if let Some(line) = line {
        stats.push(Stat {
            label: "Fitted line",
            value: format!(
                "y = {} × x {} {}",
                number(Some(line.slope), 3),
                if line.intercept < 0.0 { "−" } else { "+" },
                number(Some(line.intercept.abs()), 3)
            ),
        });
    }
    let (points_rows, points_note) = if pairs.len() <= MAX_TABLE_POINTS {
        (
            pairs
                .iter()
                .filter_map(|&(p, a, b)| {
                    let area = areas.get(p)?;
                    Some(PointRow {
                        code: area.code.clone(),
                        name: area.name.clone(),
                        x: crate::platform::format::indicator_value(Some(a), &x.unit),
                        y: crate::platform::format::indicator_value(Some(b), &y.unit),
                    })
                })
                .collect(),
            String::new(),
        )
    } else {
        (
            Vec::new(),
            format!(
                "The {} plotted values are too many to list here; they are all in the downloads below.",
                thousands(pairs.len() as u64)
            ),
        )
    };
    let query_pairs = [
        ("x", x.id.clone()),
        ("y", y.id.clone()),
        ("level", result.level.clone()),
        ("within", result.within.clone().unwrap_or_default()),
    ];
    let page = CorrelationsPage {
        layout: Layout::new("need"),
        is_matrix: false,
        x_groups: indicator_groups(frame, &x.id),
        y_groups: indicator_groups(frame, &y.id),
        levels: level_options(level),
        within: result.within.clone().unwrap_or_default(),
        matrix_input: String::new(),
        heading: format!("{} and {}", x.name, y.name),
        reading: format!("{}.", capitalise(&result.reading)),
        chart,
        chart_note,
        stats,
        points: points_rows,
        points_note,
        x_name: x.name.clone(),
        y_name: y.name.clone(),
        matrix_labels: Vec::new(),
        matrix_rows: Vec::new(),
        matrix_link,
        sources,
        downloads: DownloadLinks::new("/correlations", &query_pairs),
    };
    Ok(page.into_response())
}

/// " in <name>" for a `within` code, or nothing.
fn within_label(frame: &svatlas_areas::AreaFrame, within: Option<&str>) -> String {
    within
        .map(|w| format!(" in {}", frame.area(w).map_or(w, |a| a.name.as_str())))
        .unwrap_or_default()
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
    fn p_values_are_written_plainly() {
        assert_eq!(p_text(Some(0.0000001)), "< 0.001");
        assert_eq!(p_text(Some(0.0421)), "0.042");
        assert_eq!(p_text(None), "not computable");
        assert_eq!(capitalise("a strong"), "A strong");
    }
}
