//! `GET /api/v1/partners`: the public directory, searched by place, cause and kind of need.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use svatlas_domain::partners::NeedKind;

use super::{AreaBody, CauseBody, ProfileSummary};
use crate::partners::access::search_notes;
use crate::partners::access::{DEFAULT_PER_PAGE, Geo, MAX_PER_PAGE, parse_search, search};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiQuery;
use crate::platform::extract::positive;
use crate::state::AppState;

/// What to look for; every parameter is optional.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerQuery {
    /// An area code (district, ward, LSOA, region...): profiles serving that area, an area
    /// containing it or an area within it.
    pub place: Option<String>,
    /// A cause: a Social Value Model criterion (`MAC 2.2`, `MAC 1a`), a 2025 mission
    /// (`mission:kickstart-economic-growth`, which also finds the criteria under it) or a
    /// Bristol Accord component (`well_served`).
    #[param(schema_with = cause_schema)]
    pub cause: Option<String>,
    /// A kind of open need: `volunteers`, `goods`, `funding`, `skills` or `premises`.
    #[param(schema_with = need_kind_schema)]
    pub need: Option<String>,
    /// Page, from 1 (default 1).
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<String>,
    /// Profiles per page from 1 (default 20); more than 100 gives 100.
    #[param(value_type = Option<i32>, minimum = 1)]
    pub per_page: Option<String>,
}

/// The cause ids, for the API description.
fn cause_schema() -> utoipa::openapi::Object {
    let ids: Vec<String> = svatlas_domain::partners::all_causes()
        .iter()
        .map(|c| c.id())
        .collect();
    crate::platform::openapi::one_of(ids.iter().map(String::as_str))
}

/// The kinds of need, for the API description.
fn need_kind_schema() -> utoipa::openapi::Object {
    crate::platform::openapi::one_of(["volunteers", "goods", "funding", "skills", "premises"])
}

/// One page of the directory.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PartnerList {
    /// Profiles found in all.
    pub total: usize,
    /// This page.
    pub page: usize,
    /// Profiles per page.
    pub per_page: usize,
    /// Number of pages.
    pub pages: usize,
    /// The place searched, with its name.
    pub place: Option<AreaBody>,
    /// The cause searched, with its words.
    pub cause: Option<CauseBody>,
    /// The kind of need searched.
    pub need: Option<NeedKind>,
    /// The profiles of this page, by name.
    pub items: Vec<ProfileSummary>,
    /// Notes on how the search was done on this server.
    pub notes: Vec<String>,
}

/// Lists published profiles (public, no token needed).
#[utoipa::path(get, path = "/api/v1/partners", tag = "partners", params(PartnerQuery),
    responses(
        (status = 200, description = "One page of published profiles, by name", body = PartnerList),
        (status = 422, description = "A parameter is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn list_partners(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PartnerQuery>,
) -> Result<Json<PartnerList>, AppError> {
    let geo = Geo::of(&state);
    let mut problems = Vec::new();
    let page = positive("page", query.page.as_deref(), 1).map_err(|e| problems.push(e));
    let per_page = positive("per_page", query.per_page.as_deref(), DEFAULT_PER_PAGE)
        .map_err(|e| problems.push(e));
    let found = parse_search(
        &geo,
        query.place.as_deref(),
        query.cause.as_deref(),
        query.need.as_deref(),
    )
    .map_err(|e| problems.extend(e));
    let (Ok(page), Ok(per_page), Ok(s)) = (page, per_page, found) else {
        return Err(AppError::Unprocessable(problems));
    };
    let per_page = per_page.min(MAX_PER_PAGE);
    let all = search(&state, &s).await?;
    let total = all.len();
    let items = all
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|(p, needs)| ProfileSummary::of(&geo, p, needs))
        .collect();
    Ok(Json(PartnerList {
        total,
        page,
        per_page,
        pages: total.div_ceil(per_page),
        place: s.place.as_ref().map(|c| AreaBody {
            code: c.clone(),
            name: geo.name(c),
        }),
        cause: s.cause.as_ref().map(CauseBody::of),
        need: s.need,
        items,
        notes: search_notes(&geo, s.place.is_some()),
    }))
}
