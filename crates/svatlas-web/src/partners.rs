pub(crate) mod access;
pub(crate) mod api;
pub(crate) mod directory;
pub(crate) mod matches;
pub(crate) mod pages;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Every route of this job, pages and API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            pages::list::list_partners_page,
            pages::create::create_partner_page
        ))
        .routes(routes!(pages::create::new_partner_page))
        .routes(routes!(pages::get::get_partner_page))
        .routes(routes!(
            pages::edit::edit_partner_page,
            pages::edit::update_partner_page
        ))
        .routes(routes!(pages::needs::add_need_page))
        .routes(routes!(pages::needs::update_need_page))
        .routes(routes!(pages::matches::tender_partners_page))
        .routes(routes!(pages::matches::contract_partners_page))
        .routes(routes!(pages::pledges::create_pledge_page))
        .routes(routes!(pages::pledges::report_delivery_page))
        .routes(routes!(pages::pledges::review_pledge_page))
        .routes(routes!(
            api::profiles::list_partners,
            api::profiles::create_partner
        ))
        .routes(routes!(
            api::profiles::get_partner,
            api::profiles::update_partner
        ))
        .routes(routes!(api::profiles::add_need))
        .routes(routes!(api::profiles::update_need))
        .routes(routes!(api::pledges::list_profile_pledges))
        .routes(routes!(
            api::pledges::list_contract_pledges,
            api::pledges::create_pledge
        ))
        .routes(routes!(api::pledges::get_pledge))
        .routes(routes!(api::pledges::report_delivery))
        .routes(routes!(api::pledges::review_pledge))
        .routes(routes!(api::matches::tender_matches))
        .routes(routes!(api::matches::contract_matches))
}
