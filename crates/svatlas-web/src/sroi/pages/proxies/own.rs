//! `GET /proxies/own` and `POST /proxies/own`: an organisation's own proxies.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::{Proxy, ProxyUse, Verification};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::display::format_money;
use uuid::Uuid;

use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::platform::views::Layout;
use crate::state::AppState;

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
        layout: Layout::new("sroi"),
        rows,
        editable: caller
            .memberships
            .iter()
            .filter(|m| m.role.at_least(Role::Editor))
            .map(|m| (m.organisation_id, m.organisation_name.clone()))
            .collect(),
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
