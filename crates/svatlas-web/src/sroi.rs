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
            pages::projects::list::list_projects_page,
            pages::projects::create::create_project_page
        ))
        .routes(routes!(
            pages::projects::get::get_project_page,
            pages::projects::update::update_project_page
        ))
        .routes(routes!(pages::projects::duplicate::duplicate_project_page))
        .routes(routes!(pages::projects::archive::archive_project_page))
        .routes(routes!(pages::projects::entries::add_outcome_page))
        .routes(routes!(
            pages::projects::entries::edit_outcome_page,
            pages::projects::entries::update_outcome_page
        ))
        .routes(routes!(pages::projects::entries::delete_outcome_page))
        .routes(
            routes!(pages::projects::evidence::upload_evidence).layer(DefaultBodyLimit::max(
                crate::platform::upload::UPLOAD_BODY_LIMIT,
            )),
        )
        .routes(routes!(pages::projects::evidence::download_evidence))
        .routes(routes!(pages::projects::entries::add_input_page))
        .routes(routes!(
            pages::projects::entries::edit_input_page,
            pages::projects::entries::update_input_page
        ))
        .routes(routes!(pages::projects::entries::delete_input_page))
        .routes(routes!(pages::report::get::get_report_page))
        .routes(routes!(pages::report::file::get_report_pdf_page))
        .routes(routes!(pages::report::file::get_report_xlsx_page))
        .routes(routes!(pages::report::file::get_report_csv_page))
        .routes(routes!(pages::report::freeze::freeze_version))
        .routes(routes!(pages::report::compare::compare_versions))
        .routes(routes!(pages::report::version::get_version))
        .routes(routes!(pages::report::file::get_version_pdf_page))
        .routes(routes!(pages::report::file::get_version_xlsx_page))
        .routes(routes!(pages::report::file::get_version_csv_page))
        .routes(routes!(pages::proxies::library::get_library))
        .routes(routes!(
            pages::proxies::own::get_own_proxies,
            pages::proxies::own::add_own_proxy
        ))
        .routes(routes!(
            api::projects::list::list_projects,
            api::projects::create::create_project
        ))
        .routes(routes!(api::projects::get::get_project))
        .routes(routes!(api::projects::add_outcome::add_outcome))
        .routes(routes!(api::projects::add_input::add_input))
        .routes(routes!(api::projects::report::get_report))
        .routes(routes!(api::projects::report_file::get_report_pdf))
        .routes(routes!(api::projects::report_file::get_report_xlsx))
        .routes(routes!(api::projects::report_file::get_report_csv))
        .routes(routes!(api::proxies::list::list_proxies))
        .routes(routes!(api::calculator::calculate::calculate))
        .routes(routes!(api::calculator::get_calculation::get_calculation))
        .routes(routes!(api::calculator::sensitivity::sensitivity))
}
