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
        .routes(routes!(pages::home::get::get_home))
        .routes(routes!(pages::area::get::get_area_page))
        .routes(routes!(pages::search::get::get_search))
        .routes(routes!(pages::explore::rankings::get_rankings_page))
        .routes(routes!(pages::explore::compare::get_compare_page))
        .routes(routes!(pages::explore::correlations::get_correlations_page))
        .routes(routes!(pages::explore::data::get_data_page))
        .routes(routes!(pages::maps::get::get_maps))
        .routes(routes!(api::indicators::list::list_indicators))
        .routes(routes!(api::datasets::list::list_datasets))
        .routes(routes!(api::areas::get::get_area))
        .routes(routes!(api::areas::summary::get_summary))
        .routes(routes!(api::areas::summarise::summarise))
        .routes(routes!(api::areas::similar::get_similar))
        .routes(routes!(api::areas::change::get_change))
        .routes(routes!(api::areas::needs::get_needs))
        .routes(routes!(api::correlation::get::get_correlation))
        .routes(routes!(api::correlation::matrix::correlation_matrix))
        .routes(routes!(api::rankings::get::get_rankings))
}
