pub(crate) mod api;
pub mod login_limit;
pub(crate) mod pages;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Every route of this job, pages and API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            pages::login::get::get_login,
            pages::login::post::post_login
        ))
        .routes(routes!(pages::logout::post::post_logout))
        .routes(routes!(pages::account::get::get_account))
        .routes(routes!(pages::account::password::change_password))
        .routes(routes!(pages::account::create_token::create_token))
        .routes(routes!(pages::account::revoke_token::revoke_token))
        .routes(routes!(pages::organisations::get::get_organisation))
        .routes(routes!(pages::organisations::add_member::add_member))
        .routes(routes!(pages::organisations::change_member::change_member))
        .routes(routes!(pages::organisations::audit::get_audit))
        .routes(routes!(api::me::get::get_me))
        .routes(routes!(
            pages::organisations::transparency::set_transparency
        ))
}
