use axum::Json;
use axum::extract::State;
use svatlas_areas::Indicator;

use crate::need::indicators::{IndicatorInfo, IndicatorList, IndicatorQuery, direction};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiQuery;
use crate::state::AppState;

// `GET /api/v1/indicators`: every indicator with the metadata needed to read its values.

/// Lists every indicator (522 with the shipped data) with its dataset, edition, publisher,
/// licence, unit, the area types it has values for, description and deprivation direction.
/// Filter with `?dataset=` and `?q=`.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "areas",
    params(IndicatorQuery),
    responses(
        (status = 200, description = "The indicators", body = IndicatorList),
        (status = 422, description = "Unknown dataset", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list_indicators(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<IndicatorQuery>,
) -> Result<Json<IndicatorList>, AppError> {
    let frame = state.areas()?;
    let dataset = query
        .dataset
        .as_deref()
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty());
    if let Some(d) = &dataset
        && !frame.datasets().iter().any(|x| &x.id == d)
    {
        let ids: Vec<&str> = frame.datasets().iter().map(|x| x.id.as_str()).collect();
        return Err(AppError::invalid(
            "unknown_dataset",
            "dataset",
            format!("no dataset {d:?}; datasets are {}", ids.join(", ")),
        ));
    }
    let q = query
        .q
        .as_deref()
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let matches = |i: &Indicator| {
        dataset.as_ref().is_none_or(|d| &i.dataset == d)
            && q.as_ref().is_none_or(|q| {
                i.id.to_lowercase().contains(q) || i.name.to_lowercase().contains(q)
            })
    };
    let items: Vec<IndicatorInfo> = frame
        .indicators()
        .iter()
        .filter(|i| matches(i))
        .map(|i| {
            let ds = frame.datasets().iter().find(|d| d.id == i.dataset);
            let mut levels = frame.levels_of(&i.id);
            // Main geography first, then the others it also has values for.
            levels.sort_by_key(|t| *t != i.geography);
            IndicatorInfo {
                id: i.id.clone(),
                name: i.name.clone(),
                dataset: i.dataset.clone(),
                edition: ds.map(|d| d.edition.clone()).unwrap_or_default(),
                publisher: ds.map(|d| d.publisher.clone()).unwrap_or_default(),
                licence: ds.map(|d| d.licence.clone()).unwrap_or_default(),
                unit: i.unit.clone(),
                geography: levels.iter().map(|t| t.as_str().to_owned()).collect(),
                description: i.description.clone(),
                higher_is_more_deprived: i.higher_is_more_deprived,
                direction: direction(i.higher_is_more_deprived),
            }
        })
        .collect();
    Ok(Json(IndicatorList {
        count: items.len(),
        items,
    }))
}
