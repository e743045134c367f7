pub(crate) mod api;
pub(crate) mod area_data;
pub(crate) mod change;
pub(crate) mod correlation;
pub(crate) mod correlation_matrix;
pub(crate) mod figures;
pub(crate) mod indicators;
pub(crate) mod lookup;
pub mod maps;
pub(crate) mod needs;
pub(crate) mod pages;
pub(crate) mod place_index;
pub(crate) mod rankings;
pub(crate) mod summary;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Every route of this job, pages and API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pages::home::get_home))
        .routes(routes!(pages::area::get_area_page))
        .routes(routes!(pages::search::get_search))
        .routes(routes!(pages::explore::get_rankings_page))
        .routes(routes!(pages::explore::get_compare_page))
        .routes(routes!(pages::explore::get_correlations_page))
        .routes(routes!(pages::explore::get_data_page))
        .routes(routes!(pages::maps::get_maps))
        .routes(routes!(api::indicators::list_indicators))
        .routes(routes!(api::datasets::list_datasets))
        .routes(routes!(api::areas::get_area))
        .routes(routes!(api::areas::get_summary))
        .routes(routes!(api::areas::summarise))
        .routes(routes!(api::areas::get_similar))
        .routes(routes!(api::areas::get_change))
        .routes(routes!(api::areas::get_needs))
        .routes(routes!(api::correlation::get_correlation))
        .routes(routes!(api::correlation::correlation_matrix))
        .routes(routes!(api::rankings::get_rankings))
}
