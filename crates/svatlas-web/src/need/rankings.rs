//! Areas ranked by one indicator, a page at a time: what the rankings API and page share.

use serde::{Deserialize, Serialize};
use svatlas_areas::catalog::Indicator;
use svatlas_areas::frame::FrameError;
use svatlas_areas::geography::AreaType;

use crate::need::area_data::AreaData;
use crate::need::lookup::{
    find_indicator, level_of, optional_code, parse_number, parse_optional_area_type,
};
use crate::platform::error::AppError;

/// Largest page.
pub const MAX_PER_PAGE: u64 = 500;

/// The two orders, for the API description.
fn order_schema() -> utoipa::openapi::Object {
    crate::platform::openapi::one_of(["asc", "desc"])
}

/// What to rank, where, and which page.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// Indicator id, e.g. `iod2025.imd.average_score`.
    #[param(required = true, min_length = 1)]
    pub indicator: Option<String>,
    /// Area type to rank: `lsoa11`, `lsoa21`, `lad19`, `lad24`, ...; default the indicator's
    /// main geography.
    #[param(schema_with = crate::need::lookup::area_type_schema)]
    pub level: Option<String>,
    /// Only areas inside this area (e.g. `E06000026`).
    pub within: Option<String>,
    /// `desc` (highest value first) or `asc`. Default: most deprived first where the indicator
    /// has a direction (`desc` when higher = more deprived, `asc` for ranks where 1 = most
    /// deprived), otherwise `desc`.
    #[param(schema_with = order_schema)]
    pub order: Option<String>,
    /// Page number from 1; default 1.
    #[param(value_type = Option<u64>, minimum = 1)]
    pub page: Option<String>,
    /// Areas per page, 1 to 500; default 50.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

/// One ranked area.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RankedItem {
    /// Competition rank in the requested order (ties share the lowest rank: 1, 2, 2, 4).
    pub rank: u32,
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Indicator value.
    pub value: f64,
}

/// One page of a ranking.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RankingResponse {
    /// Indicator id.
    pub indicator: String,
    /// Area type ranked.
    pub level: String,
    /// Area the ranking is limited to, if any.
    pub within: Option<String>,
    /// `desc` or `asc`.
    pub order: &'static str,
    /// `true` if a higher value means more deprived, `false` if less, null if neither.
    pub higher_is_more_deprived: Option<bool>,
    /// Number of areas ranked (areas without a value are left out).
    pub total: usize,
    /// This page, from 1.
    pub page: u64,
    /// Areas per page.
    pub per_page: u64,
    /// The areas of this page, in rank order (empty past the last page).
    pub items: Vec<RankedItem>,
}

/// The ranking the query asks for: one page of it, or every ranked area when `whole` (then
/// `page` is 1 and `per_page` the total; pages use this for full downloads).
pub fn ranking(
    data: &AreaData,
    query: &RankingQuery,
    whole: bool,
) -> Result<RankingResponse, AppError> {
    let frame = data.frame();
    let indicator = find_indicator(frame, "indicator", query.indicator.as_deref())?;
    let asked = parse_optional_area_type("level", query.level.as_deref())?;
    let level = level_of(frame, "level", indicator, asked)?;
    let descending = descending(indicator, query.order.as_deref())?;
    let page = parse_number("page", query.page.as_deref(), 1, 1, u64::from(u32::MAX))?;
    let per_page = parse_number("per_page", query.per_page.as_deref(), 50, 1, MAX_PER_PAGE)?;
    // Both are bounded above, so this cannot overflow; past the end the page is empty.
    let (start, take) = if whole {
        (0, usize::MAX)
    } else {
        (
            usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX),
            per_page as usize,
        )
    };
    let within = optional_code(query.within.as_deref());
    let (total, items) = ranked_items(
        data,
        indicator,
        level,
        within.as_deref(),
        descending,
        (start, take),
    )?;
    let (page, per_page) = if whole {
        (1, total as u64)
    } else {
        (page, per_page)
    };
    Ok(RankingResponse {
        indicator: indicator.id.clone(),
        level: level.as_str().to_owned(),
        within,
        order: if descending { "desc" } else { "asc" },
        higher_is_more_deprived: indicator.higher_is_more_deprived,
        total,
        page,
        per_page,
        items,
    })
}

/// Whether `order` ranks the highest value first; by default the most deprived come first.
fn descending(indicator: &Indicator, order: Option<&str>) -> Result<bool, AppError> {
    match order.map(|o| o.trim().to_ascii_lowercase()) {
        None => Ok(indicator.higher_is_more_deprived.unwrap_or(true)),
        Some(o) if o.is_empty() => Ok(indicator.higher_is_more_deprived.unwrap_or(true)),
        Some(o) if o == "desc" => Ok(true),
        Some(o) if o == "asc" => Ok(false),
        Some(o) => Err(AppError::invalid(
            "invalid_order",
            "order",
            format!("order must be desc or asc, not {o:?}"),
        )),
    }
}

/// The number of ranked areas and the `take` of them from `start`: nationally from the cached
/// ranking, inside an area ranked afresh.
fn ranked_items(
    data: &AreaData,
    indicator: &Indicator,
    level: AreaType,
    within: Option<&str>,
    descending: bool,
    (start, take): (usize, usize),
) -> Result<(usize, Vec<RankedItem>), AppError> {
    let frame = data.frame();
    let frame_error = |e: FrameError| match e {
        FrameError::UnknownArea(code) => AppError::invalid(
            "unknown_area",
            "within",
            format!("within: no area with code {code:?}"),
        ),
        other => AppError::invalid("not_at_level", "level", other.to_string()),
    };
    let Some(code) = within else {
        let ranking = data.national_ranking(&indicator.id, level, descending);
        let rows = ranking
            .as_ref()
            .as_ref()
            .map_err(|e| frame_error(e.clone()))?;
        let areas = frame.areas(level);
        let items = rows
            .iter()
            .skip(start)
            .take(take)
            .filter_map(|r| {
                areas.get(r.index as usize).map(|a| RankedItem {
                    rank: r.rank,
                    code: a.code.clone(),
                    name: a.name.clone(),
                    value: r.value,
                })
            })
            .collect();
        return Ok((rows.len(), items));
    };
    let ranked = frame
        .rank_areas(&indicator.id, level, Some(code), descending)
        .map_err(frame_error)?;
    let items = ranked
        .iter()
        .skip(start)
        .take(take)
        .map(|r| RankedItem {
            rank: r.rank,
            code: r.code.clone(),
            name: r.name.clone(),
            value: r.value,
        })
        .collect();
    Ok((ranked.len(), items))
}
