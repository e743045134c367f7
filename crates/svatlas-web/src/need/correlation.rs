//! How two indicators vary together across areas: what the correlation API and page share.

use serde::{Deserialize, Serialize};
use svatlas_areas::AreaFrame;
use svatlas_areas::geography::AreaType;

use crate::need::area_data::{AreaData, PairCorrelation, correlate};
use crate::need::lookup::{
    find_indicator, level_of, optional_code, parse_optional_area_type, positions_within,
};
use crate::platform::error::AppError;

/// Fewest complete pairs for which a correlation is reported.
pub const MIN_PAIRS: usize = 10;

/// The two indicators and the areas to compare them over.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CorrelationQuery {
    /// First indicator id, e.g. `iod2019.income.score`.
    #[param(required = true, min_length = 1)]
    pub x: Option<String>,
    /// Second indicator id, e.g. `iod2019.employment.score`.
    #[param(required = true, min_length = 1)]
    pub y: Option<String>,
    /// Area type to compare over: `lsoa11`, `lsoa21`, `lad19`, `lad24`, ...; default the main
    /// geography of `x`.
    #[param(schema_with = crate::need::lookup::area_type_schema)]
    pub level: Option<String>,
    /// Only areas inside this area (e.g. `E06000026`); default all areas of the level.
    pub within: Option<String>,
}

/// A correlation between two indicators.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CorrelationResponse {
    /// First indicator id.
    pub x: String,
    /// Second indicator id.
    pub y: String,
    /// Area type compared over.
    pub level: String,
    /// Area the comparison is limited to, if any.
    pub within: Option<String>,
    /// Number of areas where both values exist (only those are used).
    pub n: usize,
    /// Pearson's r.
    pub pearson_r: f64,
    /// 95% confidence interval of r (Fisher z).
    pub pearson_ci95: Option<[f64; 2]>,
    /// Spearman's rho (rank correlation; average ranks for ties).
    pub spearman_rho: Option<f64>,
    /// Two-sided p-value of r (t distribution, n - 2 degrees of freedom).
    pub p_value: Option<f64>,
    /// The result in plain words.
    pub reading: String,
}

/// Plain-language strength of a correlation coefficient, by |r|: under 0.1 no meaningful
/// association, under 0.3 weak, under 0.5 moderate, 0.5 and over strong (Cohen's conventional
/// bands, with "negligible" below 0.1).
pub fn strength(r: f64) -> &'static str {
    let a = r.abs();
    if a < 0.1 {
        "no meaningful"
    } else if a < 0.3 {
        "a weak"
    } else if a < 0.5 {
        "a moderate"
    } else {
        "a strong"
    }
}

/// A sentence reading a correlation; it always says that correlation does not show cause.
pub fn reading(r: f64, n: usize, p_value: Option<f64>) -> String {
    let band = strength(r);
    let direction = if band == "no meaningful" {
        ""
    } else if r > 0.0 {
        " positive"
    } else {
        " negative"
    };
    let significance = match p_value {
        Some(p) if p < 0.001 => "statistically significant (p < 0.001)".to_owned(),
        Some(p) if p < 0.05 => format!("statistically significant (p = {p:.3})"),
        Some(p) => format!("not statistically significant at the 5% level (p = {p:.2})"),
        None => "significance not computable".to_owned(),
    };
    format!(
        "{band}{direction} association (r = {r:.2}, n = {n}), {significance}; this does not show \
         that one causes the other"
    )
}

/// Correlation of `x` and `y` over the areas of `level` at `positions`; None when either has no
/// values at the level.
fn correlate_at(
    frame: &AreaFrame,
    x: &str,
    y: &str,
    level: AreaType,
    positions: &[u32],
) -> Option<PairCorrelation> {
    let pick = |column: &[f64]| -> Vec<f64> {
        positions
            .iter()
            .filter_map(|&p| column.get(p as usize).copied())
            .collect()
    };
    Some(correlate(
        &pick(frame.column(x, level)?),
        &pick(frame.column(y, level)?),
    ))
}

/// The correlation the query asks for (the API answer; pages show the same figures).
pub fn correlation(
    data: &AreaData,
    query: &CorrelationQuery,
) -> Result<CorrelationResponse, AppError> {
    let frame = data.frame();
    let x = find_indicator(frame, "x", query.x.as_deref())?;
    let y = find_indicator(frame, "y", query.y.as_deref())?;
    let asked = parse_optional_area_type("level", query.level.as_deref())?;
    let level = level_of(frame, "x", x, asked)?;
    level_of(frame, "y", y, Some(level))?;
    let within = optional_code(query.within.as_deref());
    let result = match &within {
        None => *data.national_correlation(&x.id, &y.id, level),
        Some(code) => {
            let positions = positions_within(frame, level, code)?;
            correlate_at(frame, &x.id, &y.id, level, &positions)
        }
    };
    let result = result.ok_or_else(|| {
        AppError::invalid("not_at_level", "level", format!("no values at {level}"))
    })?;
    if result.n < MIN_PAIRS {
        return Err(AppError::invalid(
            "too_few_pairs",
            "within",
            format!(
                "only {} area(s) of type {level} have values of both indicators{}; at least \
                 {MIN_PAIRS} are needed for a correlation",
                result.n,
                within
                    .as_deref()
                    .map(|w| format!(" inside {w}"))
                    .unwrap_or_default()
            ),
        ));
    }
    let Some(pearson) = result.pearson else {
        return Err(AppError::invalid(
            "constant",
            "x",
            "one of the indicators has the same value in every area compared, so no correlation \
             can be computed",
        ));
    };
    Ok(CorrelationResponse {
        x: x.id.clone(),
        y: y.id.clone(),
        level: level.as_str().to_owned(),
        within,
        n: pearson.n,
        pearson_r: pearson.r,
        pearson_ci95: pearson.ci_low.zip(pearson.ci_high).map(|(lo, hi)| [lo, hi]),
        spearman_rho: result.spearman.map(|s| s.r),
        p_value: pearson.p_value,
        reading: reading(pearson.r, pearson.n, pearson.p_value),
    })
}
