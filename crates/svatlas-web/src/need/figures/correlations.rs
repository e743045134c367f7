//! The correlations page's figures: two indicators with their correlation and fitted line, or a
//! matrix of several.

use svatlas_areas::AreaFrame;
use svatlas_areas::catalog::Indicator;
use svatlas_areas::geography::AreaType;
use svatlas_areas::stats::{Line, fit_line};

use super::{sources_of, within_label};
use crate::need::area_data::AreaData;
use crate::need::correlation::{CorrelationQuery, CorrelationResponse, correlation};
use crate::need::correlation_matrix::{MatrixRequest, MatrixResponse, matrix};
use crate::need::lookup::positions_within;
use crate::platform::download::{Cell, DataTable, Source};
use crate::platform::error::AppError;
use crate::platform::format::{indicator_value, number, thousands};

/// Most points listed in the page's table (all are in the downloads).
pub const MAX_TABLE_POINTS: usize = 400;

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

/// One area with values of both indicators.
pub struct AreaPair {
    pub code: String,
    pub name: String,
    pub x: f64,
    pub y: f64,
}

/// Two indicators over the areas of one level: the correlation, every area with both values and
/// the least-squares line.
pub struct ScatterFigures<'a> {
    pub x: &'a Indicator,
    pub y: &'a Indicator,
    pub level: AreaType,
    pub result: CorrelationResponse,
    /// " in <name>" when limited to an area.
    pub place: String,
    pub pairs: Vec<AreaPair>,
    pub line: Option<Line>,
    pub sources: Vec<Source>,
}

impl<'a> ScatterFigures<'a> {
    /// The correlation the query asks for and the areas behind it.
    pub fn build(data: &'a AreaData, query: &CorrelationQuery) -> Result<Self, AppError> {
        let frame = data.frame();
        let result = correlation(data, query)?;
        let (Some(x), Some(y)) = (frame.indicator(&result.x), frame.indicator(&result.y)) else {
            return Err(AppError::Internal(anyhow::anyhow!(
                "correlated indicators vanished"
            )));
        };
        let level: AreaType = result
            .level
            .parse()
            .map_err(|_| AppError::Internal(anyhow::anyhow!("correlation level")))?;
        let pairs = area_pairs(frame, x, y, level, result.within.as_deref())?;
        let points: Vec<(f64, f64)> = pairs.iter().map(|p| (p.x, p.y)).collect();
        Ok(ScatterFigures {
            x,
            y,
            level,
            place: within_label(frame, result.within.as_deref()),
            line: fit_line(&points),
            sources: sources_of(frame, [x.dataset.as_str(), y.dataset.as_str()]),
            result,
            pairs,
        })
    }

    /// The plotted (x, y) values.
    pub fn points(&self) -> Vec<(f64, f64)> {
        self.pairs.iter().map(|p| (p.x, p.y)).collect()
    }

    /// The download: every plotted area, with the statistics in a note.
    pub fn table(&self) -> DataTable {
        let (x, y, r) = (self.x, self.y, &self.result);
        let mut table = DataTable::new(
            format!(
                "{} and {}, {}{}",
                x.name,
                y.name,
                self.level.label(),
                self.place
            ),
            &format!("correlation-{}-{}-{}", x.id, y.id, r.level),
            &["code", "name", &x.id, &y.id],
        );
        table.rows = self
            .pairs
            .iter()
            .map(|p| {
                vec![
                    p.code.clone().into(),
                    p.name.clone().into(),
                    p.x.into(),
                    p.y.into(),
                ]
            })
            .collect();
        table.sources = self.sources.clone();
        table.notes.push(format!(
            "n = {}, Pearson's r = {}, Spearman's rho = {}, p {}. {}",
            r.n,
            r.pearson_r,
            r.spearman_rho
                .map_or_else(|| "not computable".to_owned(), |r| r.to_string()),
            p_text(r.p_value),
            r.reading
        ));
        table
    }

    /// The statistics listed beside the plot.
    pub fn stats(&self) -> Vec<Stat> {
        let r = &self.result;
        let not_computable = || "not computable".to_owned();
        let mut stats = vec![
            Stat {
                label: "Areas compared (n)",
                value: thousands(r.n as u64),
            },
            Stat {
                label: "Pearson's r",
                value: format!("{:.3}", r.pearson_r),
            },
            Stat {
                label: "95% confidence interval of r",
                value: r
                    .pearson_ci95
                    .map_or_else(not_computable, |[lo, hi]| format!("{lo:.3} to {hi:.3}")),
            },
            Stat {
                label: "Spearman's rho (rank correlation)",
                value: r
                    .spearman_rho
                    .map_or_else(not_computable, |r| format!("{r:.3}")),
            },
            Stat {
                label: "p-value (two-sided)",
                value: p_text(r.p_value),
            },
        ];
        if let Some(line) = self.line {
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
        stats
    }

    /// The page's table of points and the note shown instead when there are too many to list.
    pub fn rows(&self) -> (Vec<PointRow>, String) {
        if self.pairs.len() > MAX_TABLE_POINTS {
            let note = format!(
                "The {} plotted values are too many to list here; they are all in the downloads below.",
                thousands(self.pairs.len() as u64)
            );
            return (Vec::new(), note);
        }
        let rows = self
            .pairs
            .iter()
            .map(|p| PointRow {
                code: p.code.clone(),
                name: p.name.clone(),
                x: indicator_value(Some(p.x), &self.x.unit),
                y: indicator_value(Some(p.y), &self.y.unit),
            })
            .collect();
        (rows, String::new())
    }
}

/// Every area of `level` (inside `within`) with finite values of both indicators.
fn area_pairs(
    frame: &AreaFrame,
    x: &Indicator,
    y: &Indicator,
    level: AreaType,
    within: Option<&str>,
) -> Result<Vec<AreaPair>, AppError> {
    let areas = frame.areas(level);
    let positions: Vec<u32> = match within {
        Some(code) => positions_within(frame, level, code)?,
        None => (0..areas.len() as u32).collect(),
    };
    let xs = frame.column(&x.id, level).unwrap_or_default();
    let ys = frame.column(&y.id, level).unwrap_or_default();
    Ok(positions
        .iter()
        .map(|&p| p as usize)
        .filter_map(|p| {
            let (a, b) = (*xs.get(p)?, *ys.get(p)?);
            let area = areas.get(p)?;
            (a.is_finite() && b.is_finite()).then(|| AreaPair {
                code: area.code.clone(),
                name: area.name.clone(),
                x: a,
                y: b,
            })
        })
        .collect())
}

/// Pearson's r between every pair of several indicators.
pub struct MatrixFigures {
    pub result: MatrixResponse,
    /// Indicator names, in the order of `result.indicators`.
    pub labels: Vec<String>,
    pub level: AreaType,
    /// " in <name>" when limited to an area.
    pub place: String,
    pub sources: Vec<Source>,
}

impl MatrixFigures {
    /// The matrix the request asks for, with the names and sources of its indicators.
    pub fn build(frame: &AreaFrame, request: &MatrixRequest) -> Result<Self, AppError> {
        let result = matrix(frame, request)?;
        let name_of = |id: &String| {
            frame
                .indicator(id)
                .map_or_else(|| id.clone(), |i| i.name.clone())
        };
        let datasets: Vec<&str> = result
            .indicators
            .iter()
            .filter_map(|id| frame.indicator(id).map(|i| i.dataset.as_str()))
            .collect();
        Ok(MatrixFigures {
            labels: result.indicators.iter().map(name_of).collect(),
            level: result.level.parse().unwrap_or(AreaType::Lad24),
            place: within_label(frame, result.within.as_deref()),
            sources: sources_of(frame, datasets),
            result,
        })
    }

    /// The download: one row per indicator, by id.
    pub fn table(&self) -> DataTable {
        let mut columns = vec!["indicator"];
        columns.extend(self.result.indicators.iter().map(String::as_str));
        let mut table = DataTable::new(
            format!(
                "Correlation matrix (Pearson's r), {}{}",
                self.level.label(),
                self.place
            ),
            &format!("correlation-matrix-{}", self.result.level),
            &columns,
        );
        table.rows = self
            .result
            .indicators
            .iter()
            .zip(&self.result.pearson_r)
            .map(|(id, row)| {
                let mut cells: Vec<Cell> = vec![id.clone().into()];
                cells.extend(row.iter().map(|v| Cell::from(*v)));
                cells
            })
            .collect();
        table.sources = self.sources.clone();
        table.notes.push(
            "Pearson's r over the areas with values of both indicators; correlation does not show cause."
                .to_owned(),
        );
        table
    }

    /// The page's table: one numbered row per indicator, by name.
    pub fn rows(&self) -> Vec<MatrixRow> {
        self.labels
            .iter()
            .zip(&self.result.pearson_r)
            .enumerate()
            .map(|(i, (label, row))| MatrixRow {
                label: format!("{}. {label}", i + 1),
                values: row.iter().map(|v| number(*v, 2)).collect(),
            })
            .collect()
    }
}

/// p-value as written on the page.
pub fn p_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "< 0.001".to_owned(),
        Some(p) => format!("{p:.3}"),
        None => "not computable".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_lists_the_downloaded_points_until_there_are_too_many() {
        let indicator = |measure: &str| {
            Indicator::new(
                "iod2025",
                measure,
                "average_score",
                measure,
                "score",
                AreaType::Lad24,
                Some(true),
                "",
            )
        };
        let (x, y) = (indicator("income"), indicator("health"));
        let pair = |i: usize| AreaPair {
            code: format!("E{i:08}"),
            name: format!("Area {i}"),
            x: i as f64,
            y: 2.0 * i as f64 + 1.0,
        };
        let mut figures = ScatterFigures {
            x: &x,
            y: &y,
            level: AreaType::Lad24,
            result: CorrelationResponse {
                x: x.id.clone(),
                y: y.id.clone(),
                level: "lad24".to_owned(),
                within: None,
                n: 3,
                pearson_r: 1.0,
                pearson_ci95: None,
                spearman_rho: Some(1.0),
                p_value: Some(0.0),
                reading: "a strong positive association".to_owned(),
            },
            place: String::new(),
            pairs: (1..=3).map(pair).collect(),
            line: fit_line(&[(1.0, 3.0), (2.0, 5.0), (3.0, 7.0)]),
            sources: Vec::new(),
        };
        let table = figures.table();
        let (rows, note) = figures.rows();
        assert!(note.is_empty());
        assert_eq!(table.rows.len(), rows.len());
        for (cells, row) in table.rows.iter().zip(&rows) {
            assert_eq!(cells[0], Cell::Text(row.code.clone()));
        }
        assert_eq!(
            figures.stats().last().map(|s| s.value.as_str()),
            Some("y = 2.000 × x + 1.000")
        );
        figures.pairs = (1..=MAX_TABLE_POINTS + 1).map(pair).collect();
        let (rows, note) = figures.rows();
        assert!(rows.is_empty() && note.contains("401 plotted values"));
        assert_eq!(figures.table().rows.len(), MAX_TABLE_POINTS + 1);
    }

    #[test]
    fn p_values_are_written_plainly() {
        assert_eq!(p_text(Some(0.0000001)), "< 0.001");
        assert_eq!(p_text(Some(0.0421)), "0.042");
        assert_eq!(p_text(None), "not computable");
    }
}
