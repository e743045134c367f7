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
use utoipa_axum::router::OpenApiRouter;

use crate::platform::error::{AppError, PageError};
use crate::platform::views::Layout;
use crate::platform::views::NotFoundPage;
use crate::state::AppState;
use crate::{accounts, need, partners, platform, procurement, sroi};

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
        .merge(platform::routes())
        .merge(accounts::routes())
        .merge(need::routes())
        .merge(sroi::routes())
        .merge(procurement::routes())
        .merge(partners::routes())
}

/// The OpenAPI document of every route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = routes().into_openapi();
    platform::openapi::add_standard_responses(&mut doc);
    doc
}

/// The whole application: routes, fallbacks and middleware.
pub fn app(state: AppState) -> Router {
    let config = state.config().clone();
    let (router, mut doc) = routes().split_for_parts();
    platform::openapi::add_standard_responses(&mut doc);
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
        (
            StatusCode::NOT_FOUND,
            NotFoundPage {
                layout: Layout::new("platform"),
            },
        )
            .into_response()
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
