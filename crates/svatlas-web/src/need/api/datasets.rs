use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::platform::error::{AppError, ErrorBody};
use crate::state::AppState;

// `GET /api/v1/datasets`: the data directory, with provenance and licence of every dataset.

/// One dataset.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DatasetInfo {
    /// Short id, used as the first part of indicator ids (e.g. `iod2019`).
    pub id: String,
    /// Title.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Edition label, e.g. `2019` or `2020 v2`.
    pub edition: String,
    /// Main geography of its indicators (area type id).
    pub geography: String,
    /// Licence, e.g. `OGL-UK-3.0`, `CC-BY-4.0`.
    pub licence: String,
    /// Attribution to show next to the data.
    pub attribution: String,
    /// Landing page of the source (null for data derived by sv-atlas).
    pub source_url: Option<String>,
    /// What it contains and its caveats.
    pub description: String,
    /// Number of indicators.
    pub indicator_count: usize,
    /// Number of values held (one per indicator per area).
    pub value_count: usize,
}

/// The data directory.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DatasetList {
    /// Number of datasets.
    pub count: usize,
    /// The datasets.
    pub items: Vec<DatasetInfo>,
}

/// Lists every dataset held: publisher, edition, geography, licence, attribution, source,
/// number of indicators and number of values.
#[utoipa::path(get, path = "/api/v1/datasets", tag = "areas",
    responses(
        (status = 200, description = "The datasets", body = DatasetList),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list_datasets(State(state): State<AppState>) -> Result<Json<DatasetList>, AppError> {
    let data = state.area_data()?;
    let frame = data.frame();
    let items: Vec<DatasetInfo> = frame
        .datasets()
        .iter()
        .map(|d| DatasetInfo {
            id: d.id.clone(),
            name: d.name.clone(),
            publisher: d.publisher.clone(),
            edition: d.edition.clone(),
            geography: d.geography.as_str().to_owned(),
            licence: d.licence.clone(),
            attribution: d.attribution.clone(),
            source_url: d.source_url.clone(),
            description: d.description.clone(),
            indicator_count: frame
                .indicators()
                .iter()
                .filter(|i| i.dataset == d.id)
                .count(),
            value_count: data.value_count(&d.id),
        })
        .collect();
    Ok(Json(DatasetList {
        count: items.len(),
        items,
    }))
}
