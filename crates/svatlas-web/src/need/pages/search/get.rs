//! `GET /search?q=`: find a place by name, code or postcode.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_areas::geography::AreaType;
use svatlas_areas::ingest::{PostcodeSource, normalise_postcode};

use crate::need::lookup::normalise_code;
use crate::need::place_index::Group;
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::views::Layout;
use crate::state::{AppState, Postcodes};

/// Results shown per group.
const PER_GROUP: usize = 10;

/// What to look for.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A place name (or part of one), an area code, or a postcode.
    pub q: Option<String>,
}

/// One place found.
pub struct Found {
    pub code: String,
    pub name: String,
    /// Type and the district it lies in, to tell same-named places apart.
    pub context: String,
}

/// One group of results.
pub struct FoundGroup {
    pub label: &'static str,
    pub id: &'static str,
    pub total: usize,
    pub items: Vec<Found>,
}

/// A postcode that was found but not redirected (its LSOA 2021 is an estimate).
pub struct PostcodeResult {
    pub postcode: String,
    pub code: String,
    pub name: String,
    pub note: String,
}

/// The search page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub q: String,
    pub groups: Vec<FoundGroup>,
    pub total: usize,
    pub postcode: Option<PostcodeResult>,
    /// A message about the postcode lookup (not found, loading, unavailable).
    pub postcode_note: Option<String>,
}

/// Finds places by name (case-insensitive, best matches first, grouped by area type), by code,
/// or by postcode. A unique exact match (an area code, a full name held by one area, or a
/// postcode whose LSOA is known exactly) redirects (303) to the area's page.
#[utoipa::path(get, path = "/search", tag = "pages",
    params(SearchQuery),
    responses(
        (status = 200, description = "The search form and results", content_type = "text/html"),
        (status = 303, description = "A unique exact match: redirect to `/areas/{code}`"),
        (status = 503, description = "Area data not loaded", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn get_search(
    State(state): State<AppState>,
    PageQuery(query): PageQuery<SearchQuery>,
) -> Result<Response, PageError> {
    let q = query.q.unwrap_or_default().trim().to_owned();
    let mut page = SearchPage {
        layout: Layout::new("need"),
        q: q.clone(),
        groups: Vec::new(),
        total: 0,
        postcode: None,
        postcode_note: None,
    };
    if q.is_empty() {
        return Ok(page.into_response());
    }
    let data = state.area_data()?;
    let frame = data.frame();

    let code = normalise_code(&q);
    if !frame.locate_all(&code).is_empty() {
        return Ok(to_area(&code));
    }
    if let Some(postcode) = normalise_postcode(&q) {
        match state.postcodes() {
            Postcodes::Ready(index) => {
                if let Some(m) = index.lookup(&postcode) {
                    // England and Wales: the LSOA 2021; Scotland: the 2011 data zone.
                    let target = m
                        .lsoa21
                        .as_deref()
                        .filter(|c| frame.locate(c, AreaType::Lsoa21).is_some())
                        .map(|c| (c, true))
                        .or_else(|| {
                            m.lsoa11
                                .as_deref()
                                .filter(|c| !frame.locate_all(c).is_empty())
                                .map(|c| (c, false))
                        });
                    match target {
                        Some((c, is_lsoa21)) if !(is_lsoa21 && m.lsoa21_is_estimate) => {
                            return Ok(to_area(c));
                        }
                        Some((c, _)) => {
                            page.postcode = Some(PostcodeResult {
                                postcode: m.postcode.clone(),
                                code: c.to_owned(),
                                name: frame.area(c).map(|a| a.name.clone()).unwrap_or_default(),
                                note: match m.source {
                                    PostcodeSource::OnsMay2022 => "Estimate: this postcode's 2011 LSOA was split in 2021, so its LSOA 2021 was estimated by sv-atlas from the postcode's grid reference (about 93-97% of such postcodes are placed correctly).".to_owned(),
                                    PostcodeSource::DerivedSinceMay2022 => "Estimate: this postcode is newer than the ONS May 2022 lookup; its LSOA 2021 was estimated by sv-atlas from its grid reference (about 89% are placed correctly).".to_owned(),
                                },
                            });
                        }
                        None => {
                            page.postcode_note = Some(format!(
                                "{} was found, but its area is not one sv-atlas holds figures for.",
                                m.postcode
                            ));
                        }
                    }
                } else {
                    page.postcode_note = Some(format!(
                        "{postcode} is not in the postcode lookup (live postcodes in Great Britain as at May 2022, plus newer ones from 2025; Northern Ireland is not included)."
                    ));
                }
            }
            Postcodes::Loading => {
                page.postcode_note = Some(
                    "The postcode lookup is still loading; try again in a few seconds.".to_owned(),
                );
            }
            Postcodes::Unavailable | Postcodes::Failed => {
                page.postcode_note =
                    Some("Postcode search is not available on this server.".to_owned());
            }
        }
    }
    let names = data.names();
    if page.postcode.is_none()
        && let [only] = names.exact_name(&q).as_slice()
    {
        return Ok(to_area(only));
    }
    for hits in names.search(&q, PER_GROUP) {
        page.total += hits.total;
        page.groups.push(FoundGroup {
            label: hits.group.label(),
            id: group_id(hits.group),
            total: hits.total,
            items: hits
                .hits
                .iter()
                .map(|h| {
                    let area = frame.get(h.at);
                    let district = frame
                        .parents(h.at)
                        .into_iter()
                        .find(|p| matches!(p.area_type, AreaType::Lad19 | AreaType::Lad24))
                        .map(|p| format!(", in {}", p.name))
                        .unwrap_or_default();
                    Found {
                        code: area.code.clone(),
                        name: area.name.clone(),
                        context: format!("{}{district}", h.at.area_type.label()),
                    }
                })
                .collect(),
        });
    }
    Ok(page.into_response())
}

fn to_area(code: &str) -> Response {
    Redirect::to(&format!(
        "/areas/{}",
        crate::platform::download::encode(code)
    ))
    .into_response()
}

fn group_id(group: Group) -> &'static str {
    match group {
        Group::District => "districts",
        Group::Ward => "wards",
        Group::Lsoa => "lsoas",
        Group::Region => "regions",
        Group::Nation => "nations",
        Group::DataZone => "data-zones",
        Group::Soa => "soas",
    }
}
