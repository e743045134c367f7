pub(crate) mod access;
pub(crate) mod api;
pub(crate) mod bid_files;
pub(crate) mod contract_report;
pub(crate) mod delivery;
pub(crate) mod model;
pub(crate) mod opportunities;
pub(crate) mod pages;
pub(crate) mod portfolio;
pub(crate) mod scoring;
pub(crate) mod spend;
pub(crate) mod transparency;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::state::AppState;

/// Every route of this job, pages and API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(model_routes())
        .merge(tender_pages())
        .merge(contract_pages())
        .merge(opportunity_routes())
        .merge(bid_file_pages())
        .merge(spend_pages())
        .merge(transparency_routes())
        .merge(tender_api())
        .merge(contract_api())
}

/// The procurement model and scoring calculator.
fn model_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pages::model::get_model_page))
        .routes(routes!(api::model::get_model))
        .routes(routes!(api::scoring::evaluate))
}

/// Tender pages: drafting, bids, evaluation, moderation and award.
fn tender_pages() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            pages::tenders::listing::list_tenders_page,
            pages::tenders::listing::create_tender_page
        ))
        .routes(routes!(pages::tenders::tender::get_tender_page))
        .routes(routes!(
            pages::tenders::edit::get_edit_tender_page,
            pages::tenders::edit::edit_tender_page
        ))
        .routes(routes!(pages::tenders::tender::change_status_page))
        .routes(routes!(pages::tenders::tender::invite_supplier_page))
        .routes(routes!(pages::tenders::tender::change_panel_page))
        .routes(routes!(
            pages::tenders::bid::get_bid_page,
            pages::tenders::bid::save_bid_page
        ))
        .routes(routes!(pages::tenders::bid::submit_bid_page))
        .routes(routes!(pages::tenders::bid::withdraw_bid_page))
        .routes(routes!(pages::tenders::scoring::get_evaluate_page))
        .routes(routes!(pages::tenders::scoring::score_bid_page))
        .routes(routes!(pages::tenders::scoring::get_moderate_page))
        .routes(routes!(pages::tenders::scoring::record_consensus_page))
        .routes(routes!(pages::tenders::results::get_results_page))
        .routes(routes!(pages::tenders::results::award_tender_page))
}

/// Contract pages: the portfolio, a contract, its claims and evidence.
fn contract_pages() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pages::contracts::list::list_contracts_page))
        .routes(routes!(pages::contracts::dashboard::get_contract_page))
        .routes(routes!(pages::contracts::claims::add_claim_page))
        .routes(routes!(
            pages::contracts::claims::get_claim_page,
            pages::contracts::claims::amend_claim_page
        ))
        .routes(routes!(pages::contracts::claims::review_claim_page))
        .routes(
            routes!(pages::contracts::claims::upload_claim_evidence).layer(DefaultBodyLimit::max(
                crate::platform::upload::UPLOAD_BODY_LIMIT,
            )),
        )
        .routes(routes!(pages::contracts::claims::download_claim_evidence))
}

/// Listed opportunities and requests to bid, API and pages.
fn opportunity_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::opportunities::list_opportunities))
        .routes(routes!(api::opportunities::get_opportunity))
        .routes(routes!(api::opportunities::request_to_bid))
        .routes(routes!(api::opportunities::set_listing))
        .routes(routes!(api::opportunities::list_requests))
        .routes(routes!(api::opportunities::decide_request))
        .routes(routes!(pages::opportunities::list_opportunities_page))
        .routes(routes!(pages::opportunities::get_opportunity_page))
        .routes(routes!(pages::opportunities::request_to_bid_page))
        .routes(routes!(pages::opportunities::set_listing_page))
        .routes(routes!(pages::opportunities::decide_request_page))
}

/// Bid files: import and the XLSX and CSV templates.
fn bid_file_pages() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(
            routes!(pages::bid_files::import_bid_page)
                .layer(DefaultBodyLimit::max(bid_files::IMPORT_BODY_LIMIT)),
        )
        .routes(routes!(pages::bid_files::get_bid_xlsx_page))
        .routes(routes!(pages::bid_files::get_bid_csv_page))
}

/// Local spend pages and the contract report.
fn spend_pages() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            pages::spend::get_spend_page,
            pages::spend::add_spend_page
        ))
        .routes(routes!(pages::spend::delete_spend_page))
        .routes(routes!(pages::spend::get_contract_report_page))
}

/// Public transparency pages and their API.
fn transparency_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pages::transparency::list_transparency))
        .routes(routes!(pages::transparency::get_transparency_page))
        .routes(routes!(api::transparency::get_transparency))
}

/// Tender and bid API.
fn tender_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            api::tenders::list_tenders,
            api::tenders::create_tender
        ))
        .routes(routes!(
            api::tenders::get_tender,
            api::tenders::update_tender
        ))
        .routes(routes!(api::tenders::change_status))
        .routes(routes!(api::tenders::invite_supplier))
        .routes(routes!(api::tenders::change_panel))
        .routes(routes!(api::tenders::list_bids))
        .routes(routes!(api::tenders::get_bid, api::tenders::save_bid))
        .routes(
            routes!(api::tenders::import_bid)
                .layer(DefaultBodyLimit::max(bid_files::IMPORT_BODY_LIMIT)),
        )
        .routes(routes!(api::tenders::get_bid_xlsx))
        .routes(routes!(api::tenders::get_bid_csv))
        .routes(routes!(api::tenders::submit_bid))
        .routes(routes!(api::tenders::withdraw_bid))
        .routes(routes!(api::tenders::get_scores))
        .routes(routes!(api::tenders::get_results))
        .routes(routes!(api::tenders::award_tender))
        .routes(routes!(api::bids::score_bid))
        .routes(routes!(api::bids::record_consensus))
}

/// Contract API: claims, spend and the report.
fn contract_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::contracts::list_contracts))
        .routes(routes!(api::contracts::get_contract))
        .routes(routes!(api::contracts::add_claim))
        .routes(routes!(api::contracts::amend_claim))
        .routes(routes!(api::contracts::review_claim))
        .routes(routes!(
            api::contracts::get_spend,
            api::contracts::add_spend
        ))
        .routes(routes!(api::contracts::delete_spend))
        .routes(routes!(api::contracts::get_contract_report))
}
