//! `GET /rankings`: areas ranked by an indicator, a page at a time, downloadable whole.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_areas::AreaFrame;

use super::{OptionGroup, SelectOption, indicator_groups, level_options};
use crate::need::figures::rankings::{RankingFigures, Row};
use crate::need::rankings::RankingQuery;
use crate::platform::download::{DownloadLinks, Format, Source, query_string};
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::format::thousands;
use crate::platform::views::Layout;
use crate::state::AppState;

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
    pub rows: Vec<Row>,
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
mod tests {
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
