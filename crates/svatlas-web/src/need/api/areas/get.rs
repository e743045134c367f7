//! `GET /api/v1/areas/{code}`: one area, where it sits, and every indicator value held for it.

use std::collections::{BTreeMap, HashSet, VecDeque};

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::need::indicators::direction;
use crate::need::lookup::{AreaLabel, normalise_code, parse_optional_area_type, resolve_area};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::platform::extract::ApiQuery;
use crate::state::AppState;

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
