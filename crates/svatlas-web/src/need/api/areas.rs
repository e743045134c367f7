use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet, VecDeque};
use svatlas_areas::catalog::IodDomain;
use svatlas_areas::change::{ChangeLabel, ChangeSummary};
use svatlas_areas::geography::{AreaType, Edition};
use svatlas_areas::needs;
use svatlas_areas::similar::{self, SimilarError};
use svatlas_areas::summary;

use crate::need::area_data::MAX_NEIGHBOURS;
use crate::need::change::{ChangeQuery, ChangeResponse, LsoaChangeItem, NOTE, change_code};
use crate::need::indicators::direction;
use crate::need::lookup::{
    AreaLabel, area_summary, normalise_code, parse_edition, parse_number, parse_optional_area_type,
    resolve_area, summary_error,
};
use crate::need::needs::{METHOD, NeedItem, NeedsQuery, NeedsResponse, evidence};
use crate::need::summary::{SummaryQuery, SummaryResponse};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

// `GET /api/v1/areas/{code}/change`: relative change between IoD2019 and IoD2025.

/// Shows how the area's LSOAs moved between IoD2019 and IoD2025 relative to the rest of England,
/// joined through the ONS LSOA 2011 -> 2021 lookup. A relative-rank change, never a
/// like-for-like score change (see `note`). Areas that no longer exist (LSOAs 2011, districts of
/// 2019) are followed to their 2021 successors.
#[utoipa::path(get, path = "/api/v1/areas/{code}/change", tag = "areas",
    params(("code" = String, Path, description = "Area code, e.g. `E06000026`, `E01021988`"), ChangeQuery),
    responses(
        (status = 200, description = "Relative change", body = ChangeResponse),
        (status = 404, description = "No area with that code", body = ErrorBody),
        (status = 422, description = "Unknown domain, a domain not in both editions, or an area outside England", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_change(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<ChangeQuery>,
) -> Result<Json<ChangeResponse>, AppError> {
    let data = state.area_data()?;
    let frame = data.frame();
    let code = normalise_code(&code);
    let domain_id = query
        .domain
        .as_deref()
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "imd".to_owned());
    let domain = IodDomain::parse(&domain_id).ok_or_else(|| {
        AppError::invalid(
            "unknown_domain",
            "domain",
            format!("no domain {domain_id:?}; use imd, income, employment, education, health, crime, barriers or living_environment"),
        )
    })?;
    let at = resolve_area(frame, &code, None)?;
    let index = data.changes(domain).map_err(|e| {
        AppError::invalid(
            "domain_unavailable",
            "domain",
            format!("{e}; IDACI and IDAOPI are not shipped for IoD2025"),
        )
    })?;
    let mut counts = ChangeSummary::default();
    let mut items = Vec::new();
    for lsoa21 in data.lsoa21_cover(&code) {
        let Some(c) = index.get(&lsoa21) else {
            continue;
        };
        match c.label {
            ChangeLabel::RelativelyMoreDeprived => counts.relatively_more_deprived += 1,
            ChangeLabel::LittleChange => counts.little_change += 1,
            ChangeLabel::RelativelyLessDeprived => counts.relatively_less_deprived += 1,
            ChangeLabel::NotComparable => counts.not_comparable += 1,
        }
        items.push(LsoaChangeItem {
            lsoa21: c.lsoa21.clone(),
            name: c.name.clone(),
            lsoa11: c.lsoa11.clone(),
            change: change_code(c.change).to_owned(),
            percentile_2019: c.percentile_2019,
            percentile_2025: c.percentile_2025,
            decile_2019: c.decile_2019,
            decile_2025: c.decile_2025,
            percentile_change: c.percentile_change,
            label: c.label.into(),
            label_text: c.label.text(),
        });
    }
    if items.is_empty() {
        return Err(AppError::invalid(
            "not_in_england",
            "code",
            format!("{code} contains no LSOAs ranked in both IoD2019 and IoD2025 (England only)"),
        ));
    }
    Ok(Json(ChangeResponse {
        area: AreaLabel::of(frame.get(at)),
        domain: domain.id().to_owned(),
        measure: "relative_rank_change",
        note: NOTE,
        lsoa_count: items.len(),
        counts: counts.into(),
        items,
    }))
}

// `GET /api/v1/areas/{code}`: one area, where it sits, and every indicator value held for it.

/// Which vintage to show when a code exists in several.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AreaQuery {
    /// Area type and vintage, e.g. `lsoa11` or `lsoa21`, `lad19` or `lad24`. Default: the
    /// newest vintage holding the code (`other_types` lists the others).
    #[serde(rename = "type")]
    #[param(schema_with = crate::need::lookup::area_type_schema)]
    pub area_type: Option<String>,
}

/// What is needed to read one value.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndicatorBrief {
    /// Human-readable name.
    pub name: String,
    /// Unit (`rank`, `decile`, `score`, `rate`, ...).
    pub unit: String,
    /// Dataset id.
    pub dataset: String,
    /// `true` if higher = more deprived, `false` if higher = less deprived, null if neither.
    pub higher_is_more_deprived: Option<bool>,
    /// The same as a word: `higher_is_more_deprived`, `higher_is_less_deprived` or null.
    pub direction: Option<&'static str>,
}

/// One area.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AreaDetail {
    /// The area as `{code, name, type}` (the same shape as in summaries); its fields are also
    /// repeated at the top level.
    pub area: AreaLabel,
    /// GSS code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Area type and vintage, e.g. `lsoa21`, `lad24`.
    #[serde(rename = "type")]
    pub area_type: String,
    /// The type in words, e.g. `LSOA (2021)`.
    pub type_label: String,
    /// Other vintages holding the same code (ask for one with `?type=`).
    pub other_types: Vec<String>,
    /// Every area it lies in, nearest first (ward, district, region, nation).
    pub parents: Vec<AreaLabel>,
    /// Number of areas of each type inside it, e.g. `{"lsoa21": 164, "ward24": 20}`.
    pub children: BTreeMap<String, usize>,
    /// Every indicator value held for this area: indicator id -> value.
    pub values: BTreeMap<String, f64>,
    /// Name, unit and direction of every indicator in `values` (all metadata:
    /// `/api/v1/indicators`).
    pub indicators: BTreeMap<String, IndicatorBrief>,
}

/// Returns an area: code, name, type with vintage, the areas it lies in, counts of the areas
/// inside it and every indicator value held for it. A code held by several vintages (an LSOA
/// unchanged between 2011 and 2021, a district between 2019 and 2024) answers with the newest;
/// `?type=` chooses another.
#[utoipa::path(get, path = "/api/v1/areas/{code}", tag = "areas",
    params(("code" = String, Path, description = "Area code, e.g. `E01021988`, `E06000026`"), AreaQuery),
    responses(
        (status = 200, description = "The area", body = AreaDetail),
        (status = 404, description = "No area with that code (and type)", body = ErrorBody),
        (status = 422, description = "Unknown area type", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_area(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<AreaQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let data = state.area_data()?;
    // The same URL always gives the same answer while the server runs (see response_cache).
    let key = uri.to_string();
    if let Some(hit) = data.responses.get(&key) {
        return Ok(hit.response(&headers));
    }
    let frame = data.frame();
    let code = normalise_code(&code);
    let wanted = parse_optional_area_type("type", query.area_type.as_deref())?;
    let at = resolve_area(frame, &code, wanted)?;
    let area = frame.get(at);

    // Ancestors, nearest first: LSOAs have two parents (ward and district), so walk breadth-first.
    let mut parents = Vec::new();
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([at]);
    while let Some(current) = queue.pop_front() {
        for parent in frame.parents(current) {
            if let Some(p) = frame.locate(&parent.code, parent.area_type)
                && seen.insert(p)
            {
                parents.push(AreaLabel::of(parent));
                queue.push_back(p);
            }
        }
    }

    let mut values = BTreeMap::new();
    let mut indicators = BTreeMap::new();
    for indicator in frame.indicators() {
        if let Some(v) = frame.value_at(&indicator.id, at) {
            values.insert(indicator.id.clone(), v);
            indicators.insert(
                indicator.id.clone(),
                IndicatorBrief {
                    name: indicator.name.clone(),
                    unit: indicator.unit.clone(),
                    dataset: indicator.dataset.clone(),
                    higher_is_more_deprived: indicator.higher_is_more_deprived,
                    direction: direction(indicator.higher_is_more_deprived),
                },
            );
        }
    }

    let detail = AreaDetail {
        area: AreaLabel::of(area),
        code: area.code.clone(),
        name: area.name.clone(),
        area_type: at.area_type.as_str().to_owned(),
        type_label: at.area_type.label().to_owned(),
        other_types: frame
            .locate_all(&code)
            .iter()
            .filter(|r| **r != at)
            .map(|r| r.area_type.as_str().to_owned())
            .collect(),
        parents,
        children: (*data.children_counts(at)).clone(),
        values,
        indicators,
    };
    let body = serde_json::to_vec(&detail).map_err(|e| AppError::Internal(e.into()))?;
    Ok(data
        .responses
        .insert(key, body, "application/json", &headers))
}

// `GET /api/v1/areas/{code}/needs`: the Social Value Model criteria an area most needs.

/// Ranks the Social Value Model criteria (2020 MACs or 2025 missions and outcomes) by how much
/// the area needs them, from its deprivation domains, with the evidence: indicator, the area's
/// value, national decile and comparison with England.
#[utoipa::path(get, path = "/api/v1/areas/{code}/needs", tag = "areas",
    params(("code" = String, Path, description = "Area code, e.g. `E06000009`"), NeedsQuery),
    responses(
        (status = 200, description = "Criteria ranked by need", body = NeedsResponse),
        (status = 404, description = "No area with that code", body = ErrorBody),
        (status = 422, description = "Unknown edition, or the area has no LSOAs in the IoD edition", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_needs(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<NeedsQuery>,
) -> Result<Json<NeedsResponse>, AppError> {
    let data = state.area_data()?;
    let mapping = state.needs_mapping()?;
    let svm_edition = match query.edition.as_deref().map(str::trim) {
        None | Some("") => "2025",
        Some("2020") => "2020",
        Some("2025") => "2025",
        Some(other) => {
            return Err(AppError::invalid(
                "invalid_edition",
                "edition",
                format!("edition is the Social Value Model edition, 2020 or 2025, not {other:?}"),
            ));
        }
    };
    let iod = parse_edition("iod", query.iod.as_deref(), Edition::Iod2025)?;
    let (area, summary) = area_summary(data, &normalise_code(&code), iod)?;
    let england = data.england(iod);
    let frame = data.frame();
    let items = needs::rank_needs(&summary, mapping, Some(svm_edition))
        .into_iter()
        .enumerate()
        .map(|(i, need)| NeedItem {
            rank: i + 1,
            svm_edition: need.svm_edition,
            mac_id: need.mac_id,
            title: need.title,
            theme: need.theme,
            policy_outcome: need.policy_outcome,
            score: need.score,
            evidence: need
                .evidence
                .into_iter()
                .map(|e| evidence(frame, iod, &area, &summary, england, e))
                .collect(),
        })
        .collect();
    Ok(Json(NeedsResponse {
        area,
        svm_edition: svm_edition.to_owned(),
        iod_edition: iod.dataset_id().to_owned(),
        method: METHOD,
        items,
    }))
}

// `GET /api/v1/areas/{code}/similar`: areas of the same type with the most similar deprivation
// profile.

/// How many neighbours, and which vintage of the code.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// Number of similar areas, 1 to 50; default 10.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50)]
    pub n: Option<String>,
    /// Area type when the code exists in several vintages (`lsoa11`, `lsoa21`, `lad19`,
    /// `lad24`); default the newest.
    #[serde(rename = "type")]
    #[param(schema_with = crate::need::lookup::area_type_schema)]
    pub area_type: Option<String>,
}

/// One similar area.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarArea {
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Euclidean distance between standardised profiles (0 = identical profile).
    pub distance: f64,
}

/// The nearest neighbours of an area.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarResponse {
    /// The area compared.
    pub area: AreaLabel,
    /// Indicators compared on, each standardised (z-score) over all areas of the type.
    pub indicators: Vec<String>,
    /// How the profile is built.
    pub method: String,
    /// Most similar first; the area itself is never listed.
    pub items: Vec<SimilarArea>,
}

/// Finds the areas of the same type whose deprivation profile is closest: the seven IoD domains
/// standardised over all areas of the type, compared by Euclidean distance. LSOA 2021: IoD2025
/// domain scores; LAD 2024: IoD2025 File 10 average scores; LSOA 2011: IoD2019 domain ranks;
/// LAD 2019: average ranks of the computed IoD2019 district summaries.
#[utoipa::path(get, path = "/api/v1/areas/{code}/similar", tag = "areas",
    params(("code" = String, Path, description = "Area code, e.g. `E06000026`"), SimilarQuery),
    responses(
        (status = 200, description = "Similar areas", body = SimilarResponse),
        (status = 404, description = "No area with that code", body = ErrorBody),
        (status = 422, description = "Bad `n`, or no profile for this area or area type", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_similar(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<SimilarQuery>,
) -> Result<Json<SimilarResponse>, AppError> {
    let data = state.area_data()?;
    let frame = data.frame();
    let n = parse_number("n", query.n.as_deref(), 10, 1, MAX_NEIGHBOURS as u64)? as usize;
    let wanted = parse_optional_area_type("type", query.area_type.as_deref())?;
    let at = resolve_area(frame, &normalise_code(&code), wanted)?;
    let (indicators, method) = match at.area_type {
        AreaType::Lad19 => (
            IodDomain::ALL[1..8]
                .iter()
                .map(|d| format!("iod2019.{}.average_rank", d.id()))
                .collect(),
            "IoD2019 district summaries computed with the official method: average rank of each \
             of the seven domains, standardised over the 317 districts of 2019",
        ),
        level => (
            similar::default_indicators(level),
            "the seven IoD domain indicators of this area type, each standardised (z-score) over \
             all areas of the type that have all seven",
        ),
    };
    if indicators.is_empty() {
        return Err(AppError::invalid(
            "unsupported_area_type",
            "type",
            format!(
                "similar areas are available for lsoa11, lsoa21, lad19 and lad24, not {}",
                at.area_type
            ),
        ));
    }
    let neighbours = data.neighbours(at);
    let neighbours = match neighbours.as_ref() {
        Ok(list) => list,
        Err(SimilarError::IncompleteArea(_) | SimilarError::NoValues(_)) => {
            return Err(AppError::invalid(
                "no_profile",
                "code",
                format!(
                    "{} has no complete deprivation profile among {} areas (England only)",
                    frame.get(at).code,
                    at.area_type
                ),
            ));
        }
        Err(e @ SimilarError::NoIndicators) => {
            return Err(AppError::Internal(anyhow::anyhow!("similar: {e}")));
        }
    };
    Ok(Json(SimilarResponse {
        area: AreaLabel::of(frame.get(at)),
        indicators,
        method: method.to_owned(),
        items: neighbours
            .iter()
            .take(n)
            .map(|x| SimilarArea {
                code: x.code.clone(),
                name: x.name.clone(),
                distance: x.distance,
            })
            .collect(),
    }))
}

// `POST /api/v1/areas/summary`: the district-summary measures for a custom list of LSOAs.

/// Most LSOA codes accepted in one request (England has 33,755 LSOAs 2021).
pub const MAX_LSOAS: usize = 40_000;

/// A custom area: a list of LSOAs of one edition.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SummariseRequest {
    /// `iod2019` (LSOA 2011 codes) or `iod2025` (LSOA 2021 codes); default `iod2025`.
    #[schema(schema_with = crate::need::lookup::edition_or_null_schema)]
    pub edition: Option<String>,
    /// LSOA codes of that edition (order and duplicates do not matter); at most 40,000.
    #[schema(min_items = 1, max_items = 40000)]
    pub lsoas: Vec<String>,
}

/// Summarises a custom area (a list of LSOAs) with the MHCLG local-authority summary method.
/// Ranks are null: they exist only among districts. Codes that are not LSOAs of the edition are
/// 422, listed in `error.codes` (`unknown_codes`, or `wrong_edition` for LSOAs of the other
/// edition).
#[utoipa::path(post, path = "/api/v1/areas/summary", tag = "areas",
    request_body(content = SummariseRequest, description = "Edition and LSOA codes"),
    responses(
        (status = 200, description = "The summary of the custom area", body = SummaryResponse),
        (status = 422, description = "Empty or too long list, unknown or wrong-edition codes", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(lsoas = body.value.lsoas.len()))]
pub async fn summarise(
    State(state): State<AppState>,
    body: ApiJson<SummariseRequest>,
) -> Result<Json<SummaryResponse>, AppError> {
    let frame = state.areas()?;
    let request = body.value;
    let edition = parse_edition("edition", request.edition.as_deref(), Edition::Iod2025)?;
    if request.lsoas.len() > MAX_LSOAS {
        return Err(AppError::invalid(
            "too_many_codes",
            "lsoas",
            format!(
                "lsoas lists {} codes; at most {MAX_LSOAS} are accepted",
                request.lsoas.len()
            ),
        ));
    }
    let codes: Vec<String> = request
        .lsoas
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let summary = summary::summarise(frame, edition, &codes)
        .map_err(|e| summary_error(e, edition, "lsoas"))?;
    Ok(Json(SummaryResponse {
        area: AreaLabel::custom(),
        summary,
    }))
}

// `GET /api/v1/areas/{code}/summary`: the MHCLG district-summary measures for an area.

/// Summarises an area with the MHCLG local-authority summary method: per domain the average
/// rank, average score, share of LSOAs in the most deprived 10%, IMD extent and local
/// concentration, Income/Employment scale. A district of the edition's vintage gets the
/// official figures (IoD2025 File 10; IoD2019 computed with the official method) with ranks among
/// districts; wards, regions, England and single LSOAs are summarised from their LSOAs, without
/// ranks.
#[utoipa::path(get, path = "/api/v1/areas/{code}/summary", tag = "areas",
    params(("code" = String, Path, description = "Area code, e.g. `E06000026`"), SummaryQuery),
    responses(
        (status = 200, description = "The summary", body = SummaryResponse),
        (status = 404, description = "No area with that code", body = ErrorBody),
        (status = 422, description = "Unknown edition, or the area has no LSOAs in it", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_summary(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<SummaryQuery>,
) -> Result<Json<SummaryResponse>, AppError> {
    let data = state.area_data()?;
    let edition = parse_edition("edition", query.edition.as_deref(), Edition::Iod2025)?;
    let (area, summary) = area_summary(data, &normalise_code(&code), edition)?;
    Ok(Json(SummaryResponse { area, summary }))
}
