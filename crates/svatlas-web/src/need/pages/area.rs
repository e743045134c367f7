use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Deserialize;
use std::collections::{BTreeSet, HashSet, VecDeque};
use svatlas_areas::catalog::IodDomain;
use svatlas_areas::frame::AreaRef;
use svatlas_areas::geography::{AreaType, Edition};
use svatlas_areas::stats::decile_of_share;
use svatlas_areas::summary::DomainSummary;
use svatlas_areas::{AreaFrame, Summary, needs};

use crate::need::area_data::AreaData;
use crate::need::change::NOTE as CHANGE_NOTE;
use crate::need::lookup::{area_summary, normalise_code, parse_edition};
use crate::need::needs::evidence;
use crate::platform::download::{Cell, DataTable, DownloadLinks, Format, Source};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageQuery;
use crate::platform::format::{indicator_value, number, ordinal, thousands};
use crate::platform::svg::bars::comparison_bar;
use crate::platform::views::Layout;
use crate::state::AppState;

// `GET /areas/{code}`: the profile of one area, as a page (or its values as a download).

//
// Every figure comes from the same caches and functions as the JSON API
// (`/api/v1/areas/{code}`, `/summary`, `/change`, `/needs`, `/similar`); this module only picks
// and formats them.
/// Most children listed on the page; the rest are in the rankings.
const MAX_CHILDREN: usize = 60;
/// Similar areas listed.
const SIMILAR: usize = 8;
/// Social Value Model criteria listed.
const NEEDS: usize = 5;

/// Which edition, and whether to download the values instead.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AreaPageQuery {
    /// `iod2019` or `iod2025` (default): the Indices of Deprivation edition shown.
    pub edition: Option<String>,
    /// `csv`, `xlsx` or `json`: download every indicator value held for the area.
    pub format: Option<String>,
}

/// A link in the breadcrumbs or a list.
pub struct AreaLink {
    pub name: String,
    pub code: String,
    /// Extra words after the link (type, distance, ...).
    pub note: String,
}

/// One row of the deprivation table.
pub struct DomainRow {
    pub label: String,
    pub cells: Vec<String>,
    /// The comparison in words (what the bar shows).
    pub comparison: String,
    /// Decorative inline SVG.
    pub bar: String,
}

/// A titled list of facts from one dataset.
pub struct FactGroup {
    pub title: String,
    pub rows: Vec<(String, String)>,
    pub source: String,
}

/// One Social Value Model criterion.
pub struct NeedRow {
    pub rank: usize,
    pub mac: String,
    pub title: String,
    pub theme: String,
    pub evidence: Vec<String>,
}

/// The profile page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/area.html")]
pub struct AreaPage {
    pub layout: Layout,
    pub name: String,
    pub code: String,
    pub type_label: String,
    pub crumbs: Vec<AreaLink>,
    pub edition_id: &'static str,
    pub edition_label: &'static str,
    /// `(label, href, current)` for each edition.
    pub editions: Vec<(&'static str, String, bool)>,
    /// Why there are no deprivation figures in this edition, if there are none.
    pub deprivation_note: Option<String>,
    pub deprivation_caption: String,
    pub domain_columns: Vec<&'static str>,
    pub domain_rows: Vec<DomainRow>,
    /// Further official measures (extent, local concentration, scale).
    pub extra_measures: Vec<(String, String)>,
    pub change_columns: Vec<&'static str>,
    pub change_rows: Vec<(String, Vec<String>)>,
    pub change_note: &'static str,
    pub facts: Vec<FactGroup>,
    pub needs: Vec<NeedRow>,
    pub needs_note: Option<String>,
    pub similar: Vec<AreaLink>,
    pub children_heading: String,
    pub children: Vec<AreaLink>,
    pub children_total: usize,
    pub map: Option<String>,
    /// Level of the map's small areas, for the link to the full map page.
    pub map_level: &'static str,
    pub values_count: usize,
    pub sources: Vec<Source>,
    pub downloads: DownloadLinks,
}

/// The profile of an area: where it is, its Indices of Deprivation figures (LSOAs: their own
/// score, rank and decile; districts: the official summary measures with ranks among districts;
/// other areas: summaries of their LSOAs), change since 2019, population, Census 2021 and Health
/// Index facts, the Social Value Model criteria it most needs, similar areas and the areas inside
/// it. `?format=csv|xlsx|json` downloads every indicator value held for the area.
#[utoipa::path(get, path = "/areas/{code}", tag = "pages",
    params(("code" = String, Path, description = "Area code, e.g. `E06000026`"), AreaPageQuery),
    responses(
        (status = 200, description = "The profile page, or the download", content_type = "text/html"),
        (status = 404, description = "No area with that code", content_type = "text/html"),
        (status = 422, description = "Unknown edition or format", content_type = "text/html"),
        (status = 503, description = "Area data not loaded", content_type = "text/html")))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_area_page(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
    PageQuery(query): PageQuery<AreaPageQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let data = state.area_data()?;
    // The same URL always gives the same page while the server runs (see response_cache).
    let key = uri.to_string();
    if let Some(hit) = data.responses.get(&key) {
        return Ok(hit.response(&headers));
    }
    let frame = data.frame();
    let code = normalise_code(&code);
    let edition = parse_edition("edition", query.edition.as_deref(), Edition::Iod2025)?;
    let format = Format::parse(query.format.as_deref())?;
    let at = pick_vintage(frame, &code, edition)
        .ok_or_else(|| AppError::NotFound(format!("There is no area with the code {code}.")))?;
    let values = frame.values_for_area(&code);
    if format != Format::Html {
        let name = &frame.get(at).name;
        return Ok(values_table(frame, &code, name, &values).download(format)?);
    }
    let page = area_page(&state, data, at, &code, edition, &values)?;
    let html = askama::Template::render(&page)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("rendering the area page: {e}")))?;
    Ok(data
        .responses
        .insert(key, html, "text/html; charset=utf-8", &headers))
}

/// The profile of the area at `at` in an edition.
fn area_page(
    state: &AppState,
    data: &AreaData,
    at: AreaRef,
    code: &str,
    edition: Edition,
    values: &[(&str, f64)],
) -> Result<AreaPage, AppError> {
    let frame = data.frame();
    let area = frame.get(at);
    let mut dataset_ids: BTreeSet<String> = BTreeSet::from(["geography".to_owned()]);
    let deprivation = deprivation(data, at, code, edition);
    if deprivation.note.is_none() {
        dataset_ids.insert(edition.dataset_id().to_owned());
    }
    let (change_columns, change_rows) = change(data, at, code);
    if !change_rows.is_empty() {
        dataset_ids.insert("iod2019".to_owned());
        dataset_ids.insert("iod2025".to_owned());
    }
    let facts = facts(
        frame,
        values,
        deprivation.summary.as_ref(),
        &mut dataset_ids,
    );
    let (needs, needs_note) = match &deprivation.summary {
        Some(summary) => needs_rows(state, data, area_label(frame, at), summary, edition),
        None => (Vec::new(), None),
    };
    let (children_heading, children, children_total) = children(frame, at, edition);
    Ok(AreaPage {
        // Never a signed-in user: this HTML is cached per URL (`data.responses`) and served
        // to every visitor.
        layout: Layout::new("need"),
        name: area.name.clone(),
        code: area.code.clone(),
        type_label: at.area_type.label().to_owned(),
        crumbs: breadcrumbs(frame, at),
        edition_id: edition.dataset_id(),
        edition_label: edition_label(edition),
        editions: editions(code, edition),
        deprivation_note: deprivation.note,
        deprivation_caption: deprivation.caption,
        domain_columns: deprivation.columns,
        domain_rows: deprivation.rows,
        extra_measures: deprivation.extra,
        change_columns,
        change_rows,
        change_note: CHANGE_NOTE,
        facts,
        needs,
        needs_note,
        similar: similar(data, at, edition),
        children_heading,
        children,
        children_total,
        map: crate::need::maps::small_area_map(state, code, edition)?,
        map_level: edition.lsoa_type().as_str(),
        values_count: values.len(),
        sources: dataset_ids
            .iter()
            .filter_map(|id| frame.datasets().iter().find(|d| &d.id == id))
            .map(Source::of)
            .collect(),
        downloads: DownloadLinks::new(
            &format!("/areas/{code}"),
            &[("edition", edition.dataset_id().to_owned())],
        ),
    })
}

/// `(label, href, current)` of each edition, newest first.
fn editions(code: &str, edition: Edition) -> Vec<(&'static str, String, bool)> {
    Edition::ALL
        .iter()
        .rev()
        .map(|e| {
            (
                edition_label(*e),
                format!("/areas/{code}?edition={}", e.dataset_id()),
                *e == edition,
            )
        })
        .collect()
}

fn edition_label(edition: Edition) -> &'static str {
    match edition {
        Edition::Iod2019 => "IoD2019",
        Edition::Iod2025 => "IoD2025",
    }
}

/// The vintage of a code that matches the edition (LSOA 2011 for IoD2019, ...), else the newest.
fn pick_vintage(frame: &AreaFrame, code: &str, edition: Edition) -> Option<AreaRef> {
    let all = frame.locate_all(code);
    let preferred = match edition {
        Edition::Iod2019 => [AreaType::Lsoa11, AreaType::Ward19, AreaType::Lad19],
        Edition::Iod2025 => [AreaType::Lsoa21, AreaType::Ward24, AreaType::Lad24],
    };
    all.iter()
        .find(|r| preferred.contains(&r.area_type))
        .or(all.first())
        .copied()
}

fn area_label(frame: &AreaFrame, at: AreaRef) -> crate::need::lookup::AreaLabel {
    crate::need::lookup::AreaLabel::of(frame.get(at))
}

/// Nation > region > district > ward, as far as the hierarchy knows them.
fn breadcrumbs(frame: &AreaFrame, at: AreaRef) -> Vec<AreaLink> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([at]);
    while let Some(current) = queue.pop_front() {
        for parent in frame.parents(current) {
            if let Some(p) = frame.locate(&parent.code, parent.area_type)
                && seen.insert(p)
            {
                found.push(p);
                queue.push_back(p);
            }
        }
    }
    let order = |t: AreaType| match t {
        AreaType::Nation => 0,
        AreaType::Region => 1,
        AreaType::Lad19 | AreaType::Lad24 => 2,
        _ => 3,
    };
    found.sort_by_key(|p| order(p.area_type));
    found
        .into_iter()
        .map(|p| {
            let a = frame.get(p);
            AreaLink {
                name: a.name.clone(),
                code: a.code.clone(),
                note: p.area_type.label().to_owned(),
            }
        })
        .collect()
}

#[derive(Default)]
struct Deprivation {
    note: Option<String>,
    caption: String,
    columns: Vec<&'static str>,
    rows: Vec<DomainRow>,
    extra: Vec<(String, String)>,
    summary: Option<Summary>,
}

/// Domains with LSOA ranks in the edition, in File 10 order.
fn domains_of(frame: &AreaFrame, edition: Edition) -> Vec<IodDomain> {
    IodDomain::ALL
        .into_iter()
        .filter(|d| {
            frame
                .indicator(&format!("{}.{}.rank", edition.dataset_id(), d.id()))
                .is_some()
        })
        .collect()
}

fn deprivation(data: &AreaData, at: AreaRef, code: &str, edition: Edition) -> Deprivation {
    let frame = data.frame();
    let Ok((_, summary)) = area_summary(data, code, edition) else {
        return Deprivation {
            note: Some(not_covered(frame, at, code, edition)),
            ..Deprivation::default()
        };
    };
    if let Some(lsoa) = frame.locate(code, edition.lsoa_type()) {
        return Deprivation {
            summary: Some(summary),
            ..lsoa_deprivation(frame, lsoa, edition)
        };
    }
    let district = data.lad_summary(edition, code).is_some();
    let lads = edition.lad_count();
    let mut out = Deprivation {
        columns: vec![
            "Average score",
            if district {
                "Rank among districts"
            } else {
                "Rank"
            },
            "Decile of average rank",
            "LSOAs in most deprived 10%",
        ],
        caption: if district {
            format!(
                "Official {} local authority summary measures for {} LSOAs: rank 1 is the most deprived of {lads} districts. The decile is the national LSOA decile the population-weighted average rank falls in (sv-atlas, from the official average rank).",
                edition_label(edition),
                summary.lsoa_count
            )
        } else {
            format!(
                "Summary of the {} LSOAs in this area, computed by sv-atlas with the MHCLG method (population-weighted). Ranks exist only for districts. The decile is the national LSOA decile the average rank falls in.",
                summary.lsoa_count
            )
        },
        ..Deprivation::default()
    };
    for d in IodDomain::ALL {
        let Some(s) = summary.domains.get(d.id()) else {
            continue;
        };
        out.rows.push(summary_row(d, s, district, edition));
        out.extra.extend(further_measures(d, s, lads));
    }
    out.summary = Some(summary);
    out
}

/// Why an area has no figures in the edition.
fn not_covered(frame: &AreaFrame, at: AreaRef, code: &str, edition: Edition) -> String {
    match at.area_type {
        AreaType::Lsoa11 | AreaType::Lsoa21 | AreaType::Ward19 | AreaType::Ward24 => format!(
            "{code} is not part of the {} geography ({} uses {} boundaries). Try the other edition.",
            edition_label(edition),
            edition_label(edition),
            edition.lsoa_type().label()
        ),
        _ => format!(
            "The English Indices of Deprivation cover England only, so {} has no {} figures.",
            frame.get(at).name,
            edition_label(edition)
        ),
    }
}

/// An LSOA's own score, rank and decile per domain.
fn lsoa_deprivation(frame: &AreaFrame, lsoa: AreaRef, edition: Edition) -> Deprivation {
    let ds = edition.dataset_id();
    let n = edition.lsoa_count() as f64;
    let rows = domains_of(frame, edition)
        .into_iter()
        .map(|d| {
            let get = |m: &str| frame.value_at(&format!("{ds}.{}.{m}", d.id()), lsoa);
            let rank = get("rank");
            let share = rank.map(|r| (n - r) / n);
            let score_unit = frame
                .indicator(&format!("{ds}.{}.score", d.id()))
                .map_or("score", |i| i.unit.as_str());
            DomainRow {
                label: d.label().to_owned(),
                cells: vec![
                    indicator_value(get("score"), score_unit),
                    rank.map_or_else(
                        || "–".to_owned(),
                        |r| format!("{} of {}", number(Some(r), 0), thousands(n as u64)),
                    ),
                    number(get("decile"), 0),
                ],
                comparison: share.map_or_else(
                    || "No rank".to_owned(),
                    |s| format!("More deprived than {:.0}% of LSOAs", s * 100.0),
                ),
                bar: comparison_bar(share),
            }
        })
        .collect();
    Deprivation {
        caption: format!(
            "{} for this LSOA: rank 1 is the most deprived of {} LSOAs in England; decile 1 is the most deprived 10%.",
            edition_label(edition),
            thousands(edition.lsoa_count() as u64)
        ),
        columns: vec!["Score", "Rank", "Decile"],
        rows,
        ..Deprivation::default()
    }
}

/// A larger area's summary of one domain: average score, rank, decile of the average rank and
/// the share of its LSOAs in the most deprived 10%.
fn summary_row(d: IodDomain, s: &DomainSummary, district: bool, edition: Edition) -> DomainRow {
    let n = edition.lsoa_count() as f64;
    let lads = edition.lad_count();
    // `average_rank` is the mean of N + 1 - rank: higher = more deprived.
    let need = s.average_rank.map(|r| r / n);
    let decile = need.map(decile_of_share);
    let (rank, of_rank) = match (s.rank_of_average_score, s.rank_of_average_rank) {
        (Some(r), _) => (Some(r), "average score"),
        (None, Some(r)) => (Some(r), "average rank"),
        _ => (None, ""),
    };
    let (comparison, share) = match rank {
        Some(r) if district => (
            format!(
                "{} most deprived of {lads} (by {of_rank})",
                ordinal(u64::from(r))
            ),
            Some((lads as f64 - f64::from(r)) / lads as f64),
        ),
        _ => (
            need.map_or_else(
                || "No rank".to_owned(),
                |x| format!("Average more deprived than {:.0}% of LSOAs", x * 100.0),
            ),
            need,
        ),
    };
    DomainRow {
        label: d.label().to_owned(),
        cells: vec![
            number(s.average_score, 3),
            rank.map_or_else(|| "–".to_owned(), |r| format!("{r} of {lads}")),
            number(decile, 0),
            s.proportion_most_deprived_10pc
                .map_or_else(|| "–".to_owned(), |p| format!("{:.1}%", p * 100.0)),
        ],
        comparison,
        bar: comparison_bar(share),
    }
}

/// The official extent, local concentration and scale measures of a domain, where published.
fn further_measures(d: IodDomain, s: &DomainSummary, lads: usize) -> Vec<(String, String)> {
    let ranked = |v: String, r: Option<u32>| match r {
        Some(r) => format!("{v} (rank {r} of {lads})"),
        None => v,
    };
    let mut extra = Vec::new();
    if let Some(c) = &s.concentration {
        if let Some(e) = c.extent {
            extra.push((
                "IMD extent (share of population in the most deprived 30%, weighted)".into(),
                ranked(format!("{:.1}%", e * 100.0), c.rank_of_extent),
            ));
        }
        if let Some(l) = c.local_concentration {
            extra.push((
                "IMD local concentration (average rank of the most deprived LSOAs holding 10% of the population)".into(),
                ranked(number(Some(l), 2), c.rank_of_local_concentration),
            ));
        }
    }
    if let Some(sc) = &s.scale
        && let Some(v) = sc.scale
    {
        extra.push((
            format!("{} scale (number of deprived people)", d.label()),
            ranked(number(Some(v), 0), sc.rank_of_scale),
        ));
    }
    extra
}

/// Change 2019 -> 2025: an LSOA's own percentiles per domain, or counts of its LSOAs by label.
fn change(
    data: &AreaData,
    at: AreaRef,
    code: &str,
) -> (Vec<&'static str>, Vec<(String, Vec<String>)>) {
    if at.area_type.is_small_area() {
        // One LSOA (or the 2021 successors of a 2011 one): its own percentiles per domain.
        let cover = data.lsoa21_cover(code);
        if let [lsoa] = cover.as_slice() {
            let pct = |p: Option<f64>| p.map_or_else(|| "–".to_owned(), |p| format!("{p:.1}"));
            let rows: Vec<(String, Vec<String>)> = IodDomain::ALL
                .iter()
                .filter_map(|d| {
                    let c = data.changes(*d).ok()?.get(lsoa)?;
                    Some((
                        d.label().to_owned(),
                        vec![
                            pct(c.percentile_2019),
                            pct(c.percentile_2025),
                            c.percentile_change
                                .map_or_else(|| "–".to_owned(), |p| format!("{p:+.1}")),
                            c.label.text().to_owned(),
                        ],
                    ))
                })
                .collect();
            let columns = vec![
                "Percentile 2019",
                "Percentile 2025",
                "Change (points)",
                "Reading",
            ];
            return (columns, rows);
        }
    }
    let rows: Vec<(String, Vec<String>)> = data
        .change_counts(code)
        .iter()
        .map(|(d, counts)| {
            (
                d.label().to_owned(),
                counts.iter().map(|n| thousands(*n as u64)).collect(),
            )
        })
        .collect();
    let columns = vec![
        "LSOAs relatively more deprived",
        "Little change",
        "Relatively less deprived",
        "Not comparable",
    ];
    (columns, rows)
}

/// Population, Census 2021 and Health Index facts that exist for the area.
fn facts(
    frame: &AreaFrame,
    values: &[(&str, f64)],
    summary: Option<&Summary>,
    datasets: &mut BTreeSet<String>,
) -> Vec<FactGroup> {
    let mut groups: Vec<FactGroup> = Vec::new();
    let mut push = |dataset: &str, title: &str, rows: Vec<(String, String)>, note: &str| {
        if rows.is_empty() {
            return;
        }
        let source = frame
            .datasets()
            .iter()
            .find(|d| d.id == dataset)
            .map(|d| format!("{} ({}, {}){note}", d.name, d.publisher, d.edition))
            .unwrap_or_default();
        datasets.insert(dataset.to_owned());
        groups.push(FactGroup {
            title: title.to_owned(),
            rows,
            source,
        });
    };
    let rows_of = |dataset: &str, keep: &dyn Fn(&str, &str) -> bool| -> Vec<(String, String)> {
        values
            .iter()
            .filter_map(|(id, v)| {
                let ind = frame.indicator(id)?;
                (ind.dataset == dataset && keep(id, &ind.unit)).then(|| {
                    let name = ind.name.trim_start_matches("Health Index: ");
                    let name = name.strip_suffix(" (2021)").unwrap_or(name);
                    let value = if ind.unit == "index" {
                        number(Some(*v), 1)
                    } else {
                        indicator_value(Some(*v), &ind.unit)
                    };
                    // "overall" -> "Overall": the prefix removed, the label starts the row.
                    let mut chars = name.chars();
                    let name: String = chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect())
                        .unwrap_or_default();
                    (name, value)
                })
            })
            .collect()
    };
    let census_population = rows_of("pop2021", &|id, _| id == "pop2021.total.count");
    let mid2020 = rows_of("pop2020", &|_, _| true);
    if census_population.is_empty()
        && mid2020.is_empty()
        && let Some(s) = summary
        && let Some(p) = s.population
    {
        let rows = vec![("Population".to_owned(), number(Some(p), 0))];
        let note = format!(". {}", s.population_source);
        push(s.edition.dataset_id(), "Population", rows, &note);
    }
    push("pop2021", "Population (Census 2021)", census_population, "");
    push("pop2020", "Population estimates (mid-2020)", mid2020, "");
    push(
        "census2021",
        "Census 2021",
        rows_of("census2021", &|_, unit| unit == "proportion"),
        "",
    );
    push(
        "healthindex",
        "Health Index 2021 (England = 100; higher is healthier)",
        rows_of("healthindex", &|id, _| id.ends_with("_2021")),
        "",
    );
    groups
}

/// The Social Value Model 2020 MACs the area most needs, with the evidence.
fn needs_rows(
    state: &AppState,
    data: &AreaData,
    area: crate::need::lookup::AreaLabel,
    summary: &Summary,
    edition: Edition,
) -> (Vec<NeedRow>, Option<String>) {
    let mapping = match state.needs_mapping() {
        Ok(m) => m,
        Err(e) => return (Vec::new(), Some(e.to_string())),
    };
    let england = data.england(edition);
    let rows = needs::rank_needs(summary, mapping, Some("2020"))
        .into_iter()
        .take(NEEDS)
        .enumerate()
        .map(|(i, need)| NeedRow {
            rank: i + 1,
            mac: need.mac_id.unwrap_or_default(),
            title: need.title,
            theme: need.theme,
            evidence: need
                .evidence
                .into_iter()
                .map(|e| evidence(data.frame(), edition, &area, summary, england, e))
                .map(|e| {
                    format!(
                        "{}: decile {}, {} ({} link)",
                        e.domain_label,
                        e.national_decile.map_or("–".to_owned(), |d| d.to_string()),
                        e.comparison.unwrap_or("no comparison with England"),
                        e.strength
                    )
                })
                .collect(),
        })
        .collect();
    (rows, None)
}

/// The most similar areas of the same type (where a deprivation profile exists).
fn similar(data: &AreaData, at: AreaRef, edition: Edition) -> Vec<AreaLink> {
    let frame = data.frame();
    let code = &frame.get(at).code;
    let at = match at.area_type {
        AreaType::Lsoa11 | AreaType::Lsoa21 => frame.locate(code, edition.lsoa_type()),
        AreaType::Lad19 | AreaType::Lad24 => frame.locate(code, edition.lad_type()),
        _ => None,
    };
    let Some(at) = at else {
        return Vec::new();
    };
    match data.neighbours(at).as_ref() {
        Ok(list) => list
            .iter()
            .take(SIMILAR)
            .map(|n| AreaLink {
                name: n.name.clone(),
                code: n.code.clone(),
                note: format!("distance {:.2}", n.distance),
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Areas one level down (regions, districts, wards or LSOAs), capped.
fn children(frame: &AreaFrame, at: AreaRef, edition: Edition) -> (String, Vec<AreaLink>, usize) {
    let candidates: &[AreaType] = match at.area_type {
        AreaType::Nation => &[AreaType::Region, AreaType::Lad24],
        AreaType::Region => match edition {
            Edition::Iod2019 => &[AreaType::Lad19, AreaType::Lad24],
            Edition::Iod2025 => &[AreaType::Lad24, AreaType::Lad19],
        },
        AreaType::Lad19 => &[AreaType::Ward19, AreaType::Lsoa11],
        AreaType::Lad24 => &[
            AreaType::Ward24,
            AreaType::Lsoa21,
            AreaType::Dz11,
            AreaType::Soa01,
        ],
        AreaType::Ward19 => &[AreaType::Lsoa11],
        AreaType::Ward24 => &[AreaType::Lsoa21],
        _ => &[],
    };
    for &t in candidates {
        let found = frame.descendants(at, t);
        if found.is_empty() {
            continue;
        }
        let mut areas: Vec<_> = found.iter().map(|r| frame.get(*r)).collect();
        areas.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.code.cmp(&b.code)));
        let links = areas
            .iter()
            .take(MAX_CHILDREN)
            .map(|a| AreaLink {
                name: a.name.clone(),
                code: a.code.clone(),
                note: String::new(),
            })
            .collect();
        return (t.label().to_owned(), links, found.len());
    }
    (String::new(), Vec::new(), 0)
}

/// Every indicator value held for the area, as the page's download.
fn values_table(frame: &AreaFrame, code: &str, name: &str, values: &[(&str, f64)]) -> DataTable {
    let mut table = DataTable::new(
        format!("Every indicator value held for {name} ({code})"),
        &format!("area-{code}-values"),
        &[
            "area_code",
            "area_name",
            "indicator",
            "indicator_name",
            "unit",
            "dataset",
            "value",
        ],
    );
    let mut datasets: BTreeSet<&str> = BTreeSet::new();
    for (id, v) in values {
        let Some(ind) = frame.indicator(id) else {
            continue;
        };
        datasets.insert(ind.dataset.as_str());
        table.rows.push(vec![
            Cell::from(code),
            Cell::from(name),
            Cell::from(*id),
            Cell::from(ind.name.as_str()),
            Cell::from(ind.unit.as_str()),
            Cell::from(ind.dataset.as_str()),
            Cell::from(*v),
        ]);
    }
    table.sources = datasets
        .iter()
        .filter_map(|id| frame.datasets().iter().find(|d| d.id == *id))
        .map(Source::of)
        .collect();
    if values
        .iter()
        .any(|(id, _)| id.starts_with("pop2021.") && id.ends_with(".estimate"))
    {
        table.notes.push(
            "Indicators whose id ends in .estimate are sv-atlas estimates, not official figures."
                .into(),
        );
    }
    table
}
