//! Every URL the service answers, in one place, and the middleware around them.
//!
//! Routes are registered only through `routes!()` on an [`OpenApiRouter`], so a route cannot exist
//! without appearing in `/api/v1/openapi.json` (tests enumerate the document to reach every route).

use std::any::Any;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use svatlas_store::sessions::SessionStorage;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use utoipa::OpenApi as _;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::error::{AppError, PageError};
use crate::routes;
use crate::state::AppState;
use crate::views::{NotFoundPage, VERSION};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "sv-atlas", description = "Social Value Atlas: local need, social value calculation, commitments and partners.",
         license(name = "Apache-2.0 OR MIT")),
    tags((name = "areas", description = "Local need: areas, indicators, datasets, summaries, rankings, correlations, similar areas, change and Social Value Model needs"),
         (name = "sroi", description = "Social return on investment calculator"),
         (name = "system", description = "Health and API description"),
         (name = "projects", description = "Calculator projects: outcomes, inputs, reports (JSON, PDF, XLSX, CSV) and the proxy library; Bearer token required"),
         (name = "procurement", description = "The UK Government Social Value Model catalogue (2020 and 2025 editions, with the certainty of every row) and the stateless bid-scoring helper (public, no token needed); tenders, bids, evaluation and moderation, award, contracts with KPIs and delivery claims (Bearer token required)"),
         (name = "partners", description = "VCSE partner directory: profiles, needs, matches for tenders and contracts, pledges and confirmed delivery"),
         (name = "accounts", description = "Signing in and out, your account and API tokens, organisations and their members, and the audit log"),
         (name = "pages", description = "HTML pages for people")),
    modifiers(&BearerToken)
)]
struct ApiDoc;

/// Declares the `bearer` security scheme: a personal API token (`sva_...`).
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sva_ followed by 64 hex digits")
                    .description(Some(
                        "A personal API token, created on your account page or with `svatlas token create`",
                    ))
                    .build(),
            ),
        );
    }
}

fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        // Pages
        .routes(routes!(routes::home::get::get_home))
        .routes(routes!(routes::developers::get::get_developers))
        .routes(routes!(routes::assets::get::get_asset))
        .routes(routes!(routes::area_page::get::get_area_page))
        .routes(routes!(routes::search::get::get_search))
        .routes(routes!(routes::explore::rankings::get_rankings_page))
        .routes(routes!(routes::explore::compare::get_compare_page))
        .routes(routes!(
            routes::explore::correlations::get_correlations_page
        ))
        .routes(routes!(routes::explore::data::get_data_page))
        .routes(routes!(routes::maps::get::get_maps))
        .routes(routes!(routes::model_page::get::get_model_page))
        // Accounts
        .routes(routes!(
            routes::login::get::get_login,
            routes::login::post::post_login
        ))
        .routes(routes!(routes::logout::post::post_logout))
        .routes(routes!(routes::account::get::get_account))
        .routes(routes!(routes::account::password::change_password))
        .routes(routes!(routes::account::create_token::create_token))
        .routes(routes!(routes::account::revoke_token::revoke_token))
        .routes(routes!(routes::organisations::get::get_organisation))
        .routes(routes!(routes::organisations::add_member::add_member))
        .routes(routes!(routes::organisations::change_member::change_member))
        .routes(routes!(routes::organisations::audit::get_audit))
        .routes(routes!(routes::me::get::get_me))
        // Calculator pages
        .routes(routes!(
            routes::project_pages::list::list_projects_page,
            routes::project_pages::create::create_project_page
        ))
        .routes(routes!(
            routes::project_pages::get::get_project_page,
            routes::project_pages::update::update_project_page
        ))
        .routes(routes!(
            routes::project_pages::duplicate::duplicate_project_page
        ))
        .routes(routes!(
            routes::project_pages::archive::archive_project_page
        ))
        .routes(routes!(routes::project_pages::entries::add_outcome_page))
        .routes(routes!(
            routes::project_pages::entries::edit_outcome_page,
            routes::project_pages::entries::update_outcome_page
        ))
        .routes(routes!(routes::project_pages::entries::delete_outcome_page))
        .routes(
            routes!(routes::project_pages::evidence::upload_evidence).layer(DefaultBodyLimit::max(
                routes::project_pages::evidence::UPLOAD_BODY_LIMIT,
            )),
        )
        .routes(routes!(routes::project_pages::evidence::download_evidence))
        .routes(routes!(routes::project_pages::entries::add_input_page))
        .routes(routes!(
            routes::project_pages::entries::edit_input_page,
            routes::project_pages::entries::update_input_page
        ))
        .routes(routes!(routes::project_pages::entries::delete_input_page))
        .routes(routes!(routes::project_report::get::get_report_page))
        .routes(routes!(routes::project_report::file::get_report_pdf_page))
        .routes(routes!(routes::project_report::file::get_report_xlsx_page))
        .routes(routes!(routes::project_report::file::get_report_csv_page))
        .routes(routes!(routes::project_report::freeze::freeze_version))
        .routes(routes!(routes::project_report::compare::compare_versions))
        .routes(routes!(routes::project_report::version::get_version))
        .routes(routes!(routes::project_report::file::get_version_pdf_page))
        .routes(routes!(routes::project_report::file::get_version_xlsx_page))
        .routes(routes!(routes::project_report::file::get_version_csv_page))
        .routes(routes!(routes::proxy_pages::library::get_library))
        .routes(routes!(
            routes::proxy_pages::own::get_own_proxies,
            routes::proxy_pages::own::add_own_proxy
        ))
        // Calculator API
        .routes(routes!(
            routes::projects::list::list_projects,
            routes::projects::create::create_project
        ))
        .routes(routes!(routes::projects::get::get_project))
        .routes(routes!(routes::projects::add_outcome::add_outcome))
        .routes(routes!(routes::projects::add_input::add_input))
        .routes(routes!(routes::projects::report::get_report))
        .routes(routes!(routes::projects::report_file::get_report_pdf))
        .routes(routes!(routes::projects::report_file::get_report_xlsx))
        .routes(routes!(routes::projects::report_file::get_report_csv))
        .routes(routes!(routes::proxies::list::list_proxies))
        // Procurement (public, stateless)
        .routes(routes!(routes::model::get::get_model))
        .routes(routes!(routes::scoring::evaluate::evaluate))
        // Procurement pages: each module lists its own routes.
        .merge(routes::tender_pages::routes())
        .merge(routes::contract_pages::routes())
        // VCSE partner directory: pages and API, each module listing its own routes.
        .merge(routes::partner_pages::routes())
        .merge(routes::partners::routes())
        // Open opportunities (self-registration): API and pages.
        .merge(routes::opportunities::routes())
        .routes(
            routes!(routes::bid_file_pages::import::import_bid_page)
                .layer(DefaultBodyLimit::max(crate::bid_files::IMPORT_BODY_LIMIT)),
        )
        .routes(routes!(routes::bid_file_pages::get::get_bid_xlsx_page))
        .routes(routes!(routes::bid_file_pages::get::get_bid_csv_page))
        .routes(routes!(
            routes::spend_pages::get::get_spend_page,
            routes::spend_pages::add::add_spend_page
        ))
        .routes(routes!(routes::spend_pages::delete::delete_spend_page))
        .routes(routes!(
            routes::spend_pages::report::get_contract_report_page
        ))
        .routes(routes!(routes::transparency::list::list_transparency))
        .routes(routes!(routes::transparency::get::get_transparency_page))
        .routes(routes!(routes::transparency::api::get_transparency))
        .routes(routes!(
            routes::organisations::transparency::set_transparency
        ))
        // Procurement API (Bearer tokens)
        .routes(routes!(
            routes::tenders::list::list_tenders,
            routes::tenders::create::create_tender
        ))
        .routes(routes!(
            routes::tenders::get::get_tender,
            routes::tenders::update::update_tender
        ))
        .routes(routes!(routes::tenders::status::change_status))
        .routes(routes!(routes::tenders::invite::invite_supplier))
        .routes(routes!(routes::tenders::panel::change_panel))
        .routes(routes!(routes::tenders::bids::list_bids))
        .routes(routes!(
            routes::tenders::bid::get_bid,
            routes::tenders::bid::save_bid
        ))
        .routes(
            routes!(routes::tenders::bid_file::import_bid)
                .layer(DefaultBodyLimit::max(crate::bid_files::IMPORT_BODY_LIMIT)),
        )
        .routes(routes!(routes::tenders::bid_file::get_bid_xlsx))
        .routes(routes!(routes::tenders::bid_file::get_bid_csv))
        .routes(routes!(routes::tenders::submit_bid::submit_bid))
        .routes(routes!(routes::tenders::submit_bid::withdraw_bid))
        .routes(routes!(routes::tenders::scores::get_scores))
        .routes(routes!(routes::tenders::results::get_results))
        .routes(routes!(routes::tenders::award::award_tender))
        .routes(routes!(routes::bids::score::score_bid))
        .routes(routes!(routes::bids::consensus::record_consensus))
        .routes(routes!(routes::contracts::list::list_contracts))
        .routes(routes!(routes::contracts::get::get_contract))
        .routes(routes!(routes::contracts::add_claim::add_claim))
        .routes(routes!(routes::contracts::amend_claim::amend_claim))
        .routes(routes!(routes::contracts::review_claim::review_claim))
        .routes(routes!(
            routes::contracts::spend::get_spend,
            routes::contracts::spend::add_spend
        ))
        .routes(routes!(routes::contracts::spend::delete_spend))
        .routes(routes!(routes::contracts::report::get_contract_report))
        // System
        .routes(routes!(routes::health::get::get_health))
        .routes(routes!(routes::openapi::get::get_openapi))
        // SROI
        .routes(routes!(routes::sroi::calculate::calculate))
        .routes(routes!(routes::sroi::get_calculation::get_calculation))
        .routes(routes!(routes::sroi::sensitivity::sensitivity))
        // Local need
        .routes(routes!(routes::indicators::list::list_indicators))
        .routes(routes!(routes::datasets::list::list_datasets))
        .routes(routes!(routes::areas::get::get_area))
        .routes(routes!(routes::areas::summary::get_summary))
        .routes(routes!(routes::areas::summarise::summarise))
        .routes(routes!(routes::areas::similar::get_similar))
        .routes(routes!(routes::areas::change::get_change))
        .routes(routes!(routes::areas::needs::get_needs))
        .routes(routes!(routes::correlation::get::get_correlation))
        .routes(routes!(routes::correlation::matrix::correlation_matrix))
        .routes(routes!(routes::rankings::get::get_rankings))
}

/// The OpenAPI document of every route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

/// The whole application: routes, fallbacks and middleware.
pub fn app(state: AppState) -> Router {
    let config = state.config().clone();
    let (router, doc) = routes().split_for_parts();
    let request_id = HeaderName::from_static("x-request-id");
    let sessions = SessionManagerLayer::new(SessionStorage::new(state.store().clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(SESSION_HOURS)));
    router
        .fallback(not_found)
        .layer(Extension(Arc::new(doc)))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(sessions)
        // Outside the sessions, so a refused cross-site request never touches one. Requests
        // without browser headers (API clients, curl) pass: the check is for browsers.
        .layer(CsrfLayer::new().with_rejection_response(cross_site_refused))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "svatlas_session";
/// A session ends after this many hours without a page request.
const SESSION_HOURS: i64 = 8;

/// 403 for a state-changing request sent by a browser from another site.
fn cross_site_refused(error: ProtectionError) -> Response {
    tracing::warn!(%error, "cross-site request refused");
    PageError(AppError::Forbidden(
        "this form was sent from another website, so it was refused. If you meant to do this, \
         go back to the page on this site and send it again."
            .to_owned(),
    ))
    .into_response()
}

/// 404 for unknown URLs: JSON under `/api/`, an HTML page elsewhere.
async fn not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        AppError::NotFound(format!("no API route {}", request.uri().path())).into_response()
    } else {
        (StatusCode::NOT_FOUND, NotFoundPage { version: VERSION }).into_response()
    }
}

/// A panic is a bug: answer 500 in our error shape and log it, never crash the server.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    AppError::Internal(anyhow::anyhow!("handler panicked: {detail}")).into_response()
}
