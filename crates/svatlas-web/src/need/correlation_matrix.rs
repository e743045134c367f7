//! Pearson's r between every pair of up to 20 indicators: what the matrix API and the
//! correlations page share.

use serde::{Deserialize, Serialize};
use svatlas_areas::AreaFrame;
use svatlas_areas::stats::{self, Method};

use crate::need::area_data::complete_pairs;
use crate::need::lookup::{
    find_indicator, level_of, optional_code, parse_optional_area_type, positions_within,
};
use crate::platform::error::AppError;

/// Most indicators in one matrix.
pub const MAX_INDICATORS: usize = 20;

/// The indicators and the areas to compare them over.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MatrixRequest {
    /// 2 to 20 indicator ids.
    #[schema(min_items = 2, max_items = 20)]
    pub indicators: Vec<String>,
    /// Area type to compare over; default the main geography of the first indicator.
    #[schema(schema_with = crate::need::lookup::area_type_or_null_schema)]
    pub level: Option<String>,
    /// Only areas inside this area.
    pub within: Option<String>,
}

/// A correlation matrix; row and column i are `indicators[i]`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatrixResponse {
    /// Indicator ids, in the order sent.
    pub indicators: Vec<String>,
    /// Area type compared over.
    pub level: String,
    /// Area the comparison is limited to, if any.
    pub within: Option<String>,
    /// `pearson_r[i][j]`: Pearson's r of indicators i and j over areas with both values (null if
    /// fewer than 2 pairs or an indicator is constant there).
    pub pearson_r: Vec<Vec<Option<f64>>>,
    /// `n[i][j]`: number of areas with both values.
    pub n: Vec<Vec<usize>>,
}

/// The matrix the request asks for (the API answer; pages show the same figures).
pub fn matrix(frame: &AreaFrame, request: &MatrixRequest) -> Result<MatrixResponse, AppError> {
    let k = request.indicators.len();
    if !(2..=MAX_INDICATORS).contains(&k) {
        return Err(AppError::invalid(
            "out_of_range",
            "indicators",
            format!("indicators must list 2 to {MAX_INDICATORS} indicator ids, not {k}"),
        ));
    }
    let indicators = request
        .indicators
        .iter()
        .enumerate()
        .map(|(i, id)| find_indicator(frame, &format!("indicators[{i}]"), Some(id)))
        .collect::<Result<Vec<_>, _>>()?;
    let asked = parse_optional_area_type("level", request.level.as_deref())?;
    let level = level_of(frame, "indicators[0]", indicators[0], asked)?;
    for (i, indicator) in indicators.iter().enumerate() {
        level_of(frame, &format!("indicators[{i}]"), indicator, Some(level))?;
    }
    let ids: Vec<&str> = indicators.iter().map(|i| i.id.as_str()).collect();
    let within = optional_code(request.within.as_deref());
    let mut pearson_r = vec![vec![None; k]; k];
    let mut n = vec![vec![0; k]; k];
    match &within {
        None => {
            let matrix = stats::correlation_matrix(frame, &ids, level, Method::Pearson)
                .map_err(|e| AppError::invalid("not_at_level", "level", e.to_string()))?;
            let columns: Vec<&[f64]> = ids
                .iter()
                .map(|id| frame.column(id, level).unwrap_or_default())
                .collect();
            for i in 0..k {
                for j in 0..k {
                    pearson_r[i][j] = matrix.cells[i][j].map(|c| c.r);
                    // Also when r is not computable (a constant input): say how many pairs.
                    n[i][j] = matrix.cells[i][j]
                        .map_or_else(|| complete_pairs(columns[i], columns[j]), |c| c.n);
                }
            }
        }
        Some(code) => {
            let positions = positions_within(frame, level, code)?;
            // Each indicator's values inside the area, aligned, extracted once.
            let columns: Vec<Vec<f64>> = ids
                .iter()
                .map(|id| {
                    let column = frame.column(id, level).unwrap_or_default();
                    positions
                        .iter()
                        .filter_map(|&p| column.get(p as usize).copied())
                        .collect()
                })
                .collect();
            for i in 0..k {
                for j in i..k {
                    let r = stats::pearson(&columns[i], &columns[j]).map(|c| c.r);
                    let count = complete_pairs(&columns[i], &columns[j]);
                    (pearson_r[i][j], pearson_r[j][i]) = (r, r);
                    (n[i][j], n[j][i]) = (count, count);
                }
            }
        }
    }
    Ok(MatrixResponse {
        indicators: ids.iter().map(|s| (*s).to_owned()).collect(),
        level: level.as_str().to_owned(),
        within,
        pearson_r,
        n,
    })
}
