//! The financial proxy library.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use svatlas_domain::calculator::{Proxy, ProxyLibrary};
use svatlas_domain::frameworks::BristolAccord;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiQuery;
use crate::state::AppState;

// `GET /api/v1/proxies?q=&bristol_accord=`: search the proxy library.

/// Search terms.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ProxyQuery {
    /// Words that must all appear (id, name, category, unit, source).
    pub q: Option<String>,
    /// Only proxies valuing outcomes in this Bristol Accord component (id or name).
    pub bristol_accord: Option<String>,
}

/// Matching proxies.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProxyList {
    /// Shipped proxies first (file order), then the caller's organisations' own.
    pub proxies: Vec<Proxy>,
}

/// Searches the shipped library and the caller's organisations' own proxies.
#[utoipa::path(get, path = "/api/v1/proxies", tag = "projects", params(ProxyQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Matching proxies, each with source, price year and licence", body = ProxyList),
        (status = 422, description = "Unknown Bristol Accord component", body = ErrorBody)))]
pub async fn list_proxies(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<ProxyQuery>,
) -> Result<Json<ProxyList>, AppError> {
    let component = match query.bristol_accord.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(BristolAccord::from_label(text).ok_or_else(|| {
            AppError::invalid(
                "invalid",
                "bristol_accord",
                format!("{text:?} is not a Bristol Accord component"),
            )
        })?),
    };
    let mut all = ProxyLibrary::shipped().all().to_vec();
    for m in &caller.memberships {
        all.extend(
            state
                .store()
                .organisation_proxies(m.organisation_id)
                .await?,
        );
    }
    let library = ProxyLibrary::from_proxies(all);
    let proxies = library
        .search(query.q.as_deref().unwrap_or(""), component)
        .into_iter()
        .cloned()
        .collect();
    Ok(Json(ProxyList { proxies }))
}
