//! The proxy library as pages: the shipped library (public) and an organisation's own
//! proxies (members).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::{Proxy, ProxyLibrary, ProxyUse, Verification};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::display::format_money;
use uuid::Uuid;

use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::{ApiQuery, PageForm};
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, Layout};
use crate::state::AppState;

// `GET /proxies`: the shipped financial proxy library, searchable.

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

// `GET /proxies/own` and `POST /proxies/own`: an organisation's own proxies.

/// The new-proxy form.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OwnProxyForm {
    pub organisation_id: String,
    pub name: String,
    pub bristol_accord: String,
    pub value_gbp: String,
    pub unit: String,
    pub price_year: String,
    pub source_title: String,
    pub source_url: String,
    pub licence: String,
}

/// One own proxy.
pub struct OwnRow {
    pub organisation: String,
    pub id: String,
    pub name: String,
    pub component: String,
    pub value: String,
    pub unit: String,
    pub price_year: String,
    pub source: String,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "sroi/own_proxies.html")]
pub struct OwnProxiesPage {
    pub layout: Layout,
    pub rows: Vec<OwnRow>,
    pub editable: Vec<(Uuid, String)>,
    pub components: Vec<(&'static str, &'static str)>,
    pub form: OwnProxyForm,
    pub errors: FormErrors,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    form: OwnProxyForm,
    errors: FormErrors,
) -> Result<OwnProxiesPage, AppError> {
    let mut rows = Vec::new();
    for m in &caller.memberships {
        for p in state
            .store()
            .organisation_proxies(m.organisation_id)
            .await?
        {
            rows.push(OwnRow {
                organisation: m.organisation_name.clone(),
                id: p.id.clone(),
                name: p.name.clone(),
                component: p
                    .bristol_accord()
                    .map(|c| c.label().to_string())
                    .unwrap_or_default(),
                value: format_money(p.value_gbp),
                unit: p.unit.clone(),
                price_year: p.price_year.clone(),
                source: p.source_title.clone(),
            });
        }
    }
    Ok(OwnProxiesPage {
        layout: Layout::signed_in("sroi", caller),
        rows,
        editable: caller.editable_organisations(),
        components: BristolAccord::all()
            .into_iter()
            .map(|c| (c.id(), c.label()))
            .collect(),
        form,
        errors,
    })
}

/// Your organisations' own proxies, and a form to add one.
#[utoipa::path(get, path = "/proxies/own", tag = "pages",
    responses(
        (status = 200, description = "Own proxies", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login")))]
pub async fn get_own_proxies(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
) -> Result<OwnProxiesPage, PageError> {
    Ok(page(
        &state,
        &caller,
        OwnProxyForm::default(),
        FormErrors::default(),
    )
    .await?)
}

/// Adds a proxy to an organisation's own library (editors and admins).
#[utoipa::path(post, path = "/proxies/own", tag = "pages",
    request_body(content = OwnProxyForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Added: back to the list"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "Not a member of that organisation", content_type = "text/html"),
        (status = 422, description = "The form has problems", content_type = "text/html")))]
pub async fn add_own_proxy(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    PageForm(form): PageForm<OwnProxyForm>,
) -> Result<Response, PageError> {
    let mut errors = FormErrors::default();
    let organisation = match form.organisation_id.trim().parse::<Uuid>() {
        Ok(org) => {
            caller.require_role(org, Role::Editor)?;
            Some(org)
        }
        Err(_) => {
            errors.add(
                "x-organisation_id",
                "Choose the organisation the proxy belongs to",
            );
            None
        }
    };
    if form.name.trim().is_empty() {
        errors.add("x-name", "Enter what one unit is");
    }
    let component = BristolAccord::from_label(&form.bristol_accord);
    if component.is_none() {
        errors.add("x-bristol_accord", "Choose a Bristol Accord component");
    }
    let value = form
        .value_gbp
        .trim()
        .replace([',', '£'], "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() <= 1e12);
    if value.is_none() {
        errors.add("x-value_gbp", "Enter the value in £ per unit as a number");
    }
    if form.source_title.trim().is_empty() {
        errors.add(
            "x-source_title",
            "Enter the source, so readers can check the value",
        );
    }
    if form.price_year.trim().is_empty() {
        errors.add("x-price_year", "Enter the price year of the value");
    }
    let (Some(org), Some(component), Some(value), true) =
        (organisation, component, value, errors.is_empty())
    else {
        let page = page(&state, &caller, form, errors).await?;
        return Ok(show_again(page));
    };
    let proxy = Proxy {
        id: String::new(),
        name: form.name.trim().chars().take(500).collect(),
        category: component.label().to_string(),
        proxy_use: ProxyUse::Outcome(component),
        svm_theme: String::new(),
        unit: form.unit.trim().chars().take(200).collect(),
        value_gbp: value,
        price_year: form.price_year.trim().chars().take(20).collect(),
        source_title: form.source_title.trim().chars().take(1000).collect(),
        source_url: form.source_url.trim().chars().take(1000).collect(),
        licence: form.licence.trim().chars().take(500).collect(),
        notes: String::new(),
        verification: Verification::OwnProxy,
    };
    state
        .store()
        .add_organisation_proxy(&caller.user.email, org, &proxy)
        .await?;
    Ok(Redirect::to("/proxies/own").into_response())
}
