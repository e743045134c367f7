pub(crate) mod api;
pub mod login_limit;
pub(crate) mod pages;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Every route of this job, pages and API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pages::login::get_login, pages::login::post_login))
        .routes(routes!(pages::logout::post_logout))
        .routes(routes!(pages::account::get_account))
        .routes(routes!(pages::account::change_password))
        .routes(routes!(pages::account::create_token))
        .routes(routes!(pages::account::revoke_token))
        .routes(routes!(pages::organisations::get_organisation))
        .routes(routes!(pages::organisations::add_member))
        .routes(routes!(pages::organisations::change_member))
        .routes(routes!(pages::organisations::get_audit))
        .routes(routes!(api::me::get_me))
        .routes(routes!(pages::organisations::set_transparency))
}
