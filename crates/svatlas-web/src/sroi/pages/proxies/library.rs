//! `GET /proxies`: the shipped financial proxy library, searchable.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;
use svatlas_domain::calculator::{ProxyLibrary, ProxyUse};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::display::format_money;

use crate::platform::error::{AppError, PageError};
use crate::platform::extract::ApiQuery;
use crate::platform::views::Layout;
use crate::state::AppState;

/// Search terms.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LibraryQuery {
    /// Words that must all appear.
    pub q: Option<String>,
    /// A Bristol Accord component id, or `input_rates` for rates that value time.
    pub bristol_accord: Option<String>,
}

/// One proxy row.
pub struct ProxyRow {
    pub id: String,
    pub name: String,
    pub category: String,
    pub value: String,
    pub unit: String,
    pub price_year: String,
    pub source_title: String,
    pub source_url: String,
    pub licence: String,
    pub verification: &'static str,
    pub checked: bool,
    pub notes: String,
}

/// The library page.
#[derive(Template, WebTemplate)]
#[template(path = "sroi/proxies.html")]
pub struct LibraryPage {
    pub layout: Layout,
    pub q: String,
    pub chosen: String,
    pub components: Vec<(&'static str, &'static str)>,
    pub rows: Vec<ProxyRow>,
    pub total: usize,
}

/// Searches the shipped proxies (open UK public sources; every row with its source, price
/// year and licence). No TOMs or HACT values are shipped.
#[utoipa::path(get, path = "/proxies", tag = "pages", params(LibraryQuery),
    responses(
        (status = 200, description = "The proxy library", content_type = "text/html"),
        (status = 422, description = "Unknown component", content_type = "text/html")))]
pub async fn get_library(
    State(_state): State<AppState>,
    ApiQuery(query): ApiQuery<LibraryQuery>,
) -> Result<LibraryPage, PageError> {
    let library = ProxyLibrary::shipped();
    let chosen = query.bristol_accord.unwrap_or_default().trim().to_string();
    let q = query.q.unwrap_or_default();
    let matches: Vec<_> = match chosen.as_str() {
        "" => library.search(&q, None),
        "input_rates" => library
            .search(&q, None)
            .into_iter()
            .filter(|p| p.proxy_use == ProxyUse::InputRate)
            .collect(),
        other => {
            let c = BristolAccord::from_label(other).ok_or_else(|| {
                AppError::invalid(
                    "invalid",
                    "bristol_accord",
                    format!("{other:?} is not a Bristol Accord component"),
                )
            })?;
            library.search(&q, Some(c))
        }
    };
    let rows = matches
        .into_iter()
        .map(|p| ProxyRow {
            id: p.id.clone(),
            name: p.name.clone(),
            category: match p.proxy_use {
                ProxyUse::Outcome(c) => c.label().to_string(),
                ProxyUse::InputRate => "Rate for valuing inputs".to_string(),
            },
            value: format_money(p.value_gbp),
            unit: p.unit.clone(),
            price_year: p.price_year.clone(),
            source_title: p.source_title.clone(),
            source_url: if p.source_url.starts_with("https://") {
                p.source_url.clone()
            } else {
                String::new()
            },
            licence: p.licence.clone(),
            verification: p.verification.label(),
            checked: p.verification == svatlas_domain::calculator::Verification::Verified,
            notes: p.notes.clone(),
        })
        .collect();
    Ok(LibraryPage {
        layout: Layout::new("sroi"),
        q,
        chosen,
        components: BristolAccord::all()
            .into_iter()
            .map(|c| (c.id(), c.label()))
            .collect(),
        rows,
        total: library.all().len(),
    })
}
