//! What a search finds: a unique exact match to go to, or the places found by name and what
//! the postcode lookup said.

use svatlas_areas::AreaFrame;
use svatlas_areas::geography::AreaType;
use svatlas_areas::ingest::{PostcodeMatch, PostcodeSource, normalise_postcode};

use crate::need::area_data::AreaData;
use crate::need::lookup::normalise_code;
use crate::need::place_index::Group;
use crate::state::Postcodes;

/// Results shown per group.
const PER_GROUP: usize = 10;

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

/// The places found for a query that is not a unique exact match.
#[derive(Default)]
pub struct SearchResults {
    pub groups: Vec<FoundGroup>,
    pub total: usize,
    pub postcode: Option<PostcodeResult>,
    /// A message about the postcode lookup (not found, loading, unavailable).
    pub postcode_note: Option<String>,
}

/// Where a search leads.
pub enum Search {
    /// A unique exact match (an area code, a full name held by one area, or a postcode whose
    /// LSOA is known exactly): the area's code.
    Area(String),
    /// Everything else.
    Results(SearchResults),
}

impl Search {
    /// Looks `q` (trimmed, not empty) up as an area code, a postcode and a place name.
    pub fn build(data: &AreaData, postcodes: Postcodes<'_>, q: &str) -> Search {
        let frame = data.frame();
        let code = normalise_code(q);
        if !frame.locate_all(&code).is_empty() {
            return Search::Area(code);
        }
        let mut results = SearchResults::default();
        if let Some(postcode) = normalise_postcode(q) {
            match postcodes {
                Postcodes::Ready(index) => match index.lookup(&postcode) {
                    Some(m) => match postcode_target(frame, &m) {
                        Some((c, is_lsoa21)) if !(is_lsoa21 && m.lsoa21_is_estimate) => {
                            return Search::Area(c.to_owned());
                        }
                        Some((c, _)) => results.postcode = Some(estimated(frame, &m, c)),
                        None => {
                            results.postcode_note = Some(format!(
                                "{} was found, but its area is not one sv-atlas holds figures for.",
                                m.postcode
                            ));
                        }
                    },
                    None => {
                        results.postcode_note = Some(format!(
                            "{postcode} is not in the postcode lookup (live postcodes in Great Britain as at May 2022, plus newer ones from 2025; Northern Ireland is not included)."
                        ));
                    }
                },
                Postcodes::Loading => {
                    results.postcode_note = Some(
                        "The postcode lookup is still loading; try again in a few seconds."
                            .to_owned(),
                    );
                }
                Postcodes::Unavailable | Postcodes::Failed => {
                    results.postcode_note =
                        Some("Postcode search is not available on this server.".to_owned());
                }
            }
        }
        let names = data.names();
        if results.postcode.is_none()
            && let [only] = names.exact_name(q).as_slice()
        {
            return Search::Area((*only).to_owned());
        }
        for group in found_groups(data, q) {
            results.total += group.total;
            results.groups.push(group);
        }
        Search::Results(results)
    }
}

/// The area a postcode is in and whether it is an LSOA 2021: in England and Wales the LSOA
/// 2021, in Scotland the 2011 data zone.
fn postcode_target<'m>(frame: &AreaFrame, m: &'m PostcodeMatch) -> Option<(&'m str, bool)> {
    m.lsoa21
        .as_deref()
        .filter(|c| frame.locate(c, AreaType::Lsoa21).is_some())
        .map(|c| (c, true))
        .or_else(|| {
            m.lsoa11
                .as_deref()
                .filter(|c| !frame.locate_all(c).is_empty())
                .map(|c| (c, false))
        })
}

/// A postcode whose LSOA 2021 is an estimate, shown rather than followed.
fn estimated(frame: &AreaFrame, m: &PostcodeMatch, code: &str) -> PostcodeResult {
    PostcodeResult {
        postcode: m.postcode.clone(),
        code: code.to_owned(),
        name: frame.area(code).map(|a| a.name.clone()).unwrap_or_default(),
        note: match m.source {
            PostcodeSource::OnsMay2022 => "Estimate: this postcode's 2011 LSOA was split in 2021, so its LSOA 2021 was estimated by sv-atlas from the postcode's grid reference (about 93-97% of such postcodes are placed correctly).".to_owned(),
            PostcodeSource::DerivedSinceMay2022 => "Estimate: this postcode is newer than the ONS May 2022 lookup; its LSOA 2021 was estimated by sv-atlas from its grid reference (about 89% are placed correctly).".to_owned(),
        },
    }
}

/// Places whose names match, best first, grouped by area type.
fn found_groups(data: &AreaData, q: &str) -> Vec<FoundGroup> {
    let frame = data.frame();
    data.names()
        .search(q, PER_GROUP)
        .into_iter()
        .map(|hits| FoundGroup {
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
        })
        .collect()
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
