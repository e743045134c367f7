pub(crate) mod api;
pub(crate) mod calculator;
pub(crate) mod forms;
pub(crate) mod pages;
pub(crate) mod report_view;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::state::AppState;

/// Every route of this job, pages and API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            pages::projects::list_projects_page,
            pages::projects::create_project_page
        ))
        .routes(routes!(
            pages::projects::get_project_page,
            pages::projects::update_project_page
        ))
        .routes(routes!(pages::projects::duplicate_project_page))
        .routes(routes!(pages::projects::archive_project_page))
        .routes(routes!(pages::projects::add_outcome_page))
        .routes(routes!(
            pages::projects::edit_outcome_page,
            pages::projects::update_outcome_page
        ))
        .routes(routes!(pages::projects::delete_outcome_page))
        .routes(
            routes!(pages::projects::upload_evidence).layer(DefaultBodyLimit::max(
                crate::platform::upload::UPLOAD_BODY_LIMIT,
            )),
        )
        .routes(routes!(pages::projects::download_evidence))
        .routes(routes!(pages::projects::add_input_page))
        .routes(routes!(
            pages::projects::edit_input_page,
            pages::projects::update_input_page
        ))
        .routes(routes!(pages::projects::delete_input_page))
        .routes(routes!(pages::report::get_report_page))
        .routes(routes!(pages::report::get_report_pdf_page))
        .routes(routes!(pages::report::get_report_xlsx_page))
        .routes(routes!(pages::report::get_report_csv_page))
        .routes(routes!(pages::report::freeze_version))
        .routes(routes!(pages::report::compare_versions))
        .routes(routes!(pages::report::get_version))
        .routes(routes!(pages::report::get_version_pdf_page))
        .routes(routes!(pages::report::get_version_xlsx_page))
        .routes(routes!(pages::report::get_version_csv_page))
        .routes(routes!(pages::proxies::get_library))
        .routes(routes!(
            pages::proxies::get_own_proxies,
            pages::proxies::add_own_proxy
        ))
        .routes(routes!(
            api::projects::list_projects,
            api::projects::create_project
        ))
        .routes(routes!(api::projects::get_project))
        .routes(routes!(api::projects::add_outcome))
        .routes(routes!(api::projects::add_input))
        .routes(routes!(api::projects::get_report))
        .routes(routes!(api::projects::get_report_pdf))
        .routes(routes!(api::projects::get_report_xlsx))
        .routes(routes!(api::projects::get_report_csv))
        .routes(routes!(api::proxies::list_proxies))
        .routes(routes!(api::calculator::calculate))
        .routes(routes!(api::calculator::get_calculation))
        .routes(routes!(api::calculator::sensitivity))
}
