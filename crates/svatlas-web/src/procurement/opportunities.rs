//! Open tenders their buyers list for any supplier to find, searched by words and by place:
//! what the opportunities API and pages share.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use svatlas_store::procurement::TenderRecord;

use crate::need::lookup::normalise_code;
use crate::platform::error::AppError;
use crate::procurement::api::opportunities::PER_PAGE;
use crate::procurement::api::tenders::TenderBody;
use crate::state::AppState;
use svatlas_store::StoreError;
use uuid::Uuid;

/// Most ancestors followed up from a place (LSOA → ward → district → region → nation).
const MAX_ANCESTORS: usize = 50;

/// What to look for; every parameter is optional.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpportunityQuery {
    /// Words that must all appear in the title, description or buyer's name.
    pub q: Option<String>,
    /// An area code: tenders serving it, an area containing it (its district, region) or an
    /// area within it.
    pub area: Option<String>,
    /// Page, from 1 (default 1); 20 opportunities a page.
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<String>,
}

/// One page of opportunities.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OpportunityList {
    /// Open listed tenders found in all.
    pub total: usize,
    /// This page.
    pub page: usize,
    /// Opportunities per page.
    pub per_page: usize,
    /// Number of pages.
    pub pages: usize,
    /// This page's tenders, most recently listed first.
    pub items: Vec<TenderBody>,
}

/// The search, read.
#[derive(Debug, Default, Clone)]
pub(crate) struct Search {
    pub words: Vec<String>,
    pub area: Option<String>,
}

impl Search {
    /// The search of a query; `page` is read by the caller.
    pub(crate) fn of(query: &OpportunityQuery) -> Self {
        Search {
            words: query
                .q
                .as_deref()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_lowercase)
                .collect(),
            area: query
                .area
                .as_deref()
                .map(normalise_code)
                .filter(|a| !a.is_empty()),
        }
    }
}

/// The codes of an area and of every area containing it, as far as the server's area data
/// knows them (just the code itself without area data).
fn with_ancestors(state: &AppState, code: &str) -> HashSet<String> {
    let mut out = HashSet::from([code.to_owned()]);
    let Ok(data) = state.area_data() else {
        return out;
    };
    let mut todo = vec![code.to_owned()];
    while let Some(c) = todo.pop() {
        if out.len() > MAX_ANCESTORS {
            break;
        }
        for area in data
            .frame()
            .locate_all(&c)
            .into_iter()
            .map(|at| data.frame().get(at))
        {
            for p in &area.parent_codes {
                if out.insert(p.clone()) {
                    todo.push(p.clone());
                }
            }
        }
    }
    out
}

fn matches(state: &AppState, t: &TenderRecord, search: &Search, place: &HashSet<String>) -> bool {
    let text = format!(
        "{} {} {}",
        t.details.title, t.details.description, t.organisation_name
    )
    .to_lowercase();
    if !search.words.iter().all(|w| text.contains(w.as_str())) {
        return false;
    }
    let Some(code) = &search.area else {
        return true;
    };
    // Served directly, by an area containing the place, or by an area within it.
    t.details.areas.iter().any(|a| {
        let a = normalise_code(a);
        place.contains(&a) || with_ancestors(state, &a).contains(code)
    })
}

/// One page of the opportunities found (also for the page of people).
pub(crate) async fn opportunity_page(
    state: &AppState,
    search: &Search,
    page: usize,
) -> Result<OpportunityList, AppError> {
    let place = search
        .area
        .as_deref()
        .map(|c| with_ancestors(state, c))
        .unwrap_or_default();
    let found: Vec<TenderRecord> = state
        .store()
        .opportunities()
        .await?
        .into_iter()
        .filter(|t| matches(state, t, search, &place))
        .collect();
    let total = found.len();
    Ok(OpportunityList {
        total,
        page,
        per_page: PER_PAGE,
        pages: total.div_ceil(PER_PAGE).max(1),
        items: found
            .into_iter()
            .skip((page - 1).saturating_mul(PER_PAGE))
            .take(PER_PAGE)
            .map(TenderBody::from)
            .collect(),
    })
}

/// The tender when it is open and listed; 404 otherwise (drafts and unlisted tenders are the
/// buyer's own).
pub(crate) async fn opportunity(state: &AppState, id: Uuid) -> Result<TenderRecord, AppError> {
    match state.store().opportunity(id).await {
        Ok(t) => Ok(t),
        Err(StoreError::NotFound) => Err(AppError::NotFound(format!(
            "no open opportunity with id {id}: the buyer may have closed it or taken it off the list"
        ))),
        Err(e) => Err(e.into()),
    }
}
