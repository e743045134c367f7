//! `GET /organisations/{id}/audit`: the organisation's audit log, for its admins.

use axum::extract::{Path, State};
use axum::http::Uri;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_store::accounts::Organisation;
use svatlas_store::audit::AuditEntry;

use crate::auth::PageCaller;
use crate::error::{AppError, PageError};
use crate::routes::area_page::get::page_query;
use crate::routes::organisations::organisation_id;
use crate::state::AppState;
use crate::views::{VERSION, when};

/// Changes per page.
pub const PAGE_SIZE: u32 = 50;
/// Highest page number accepted (keeps the offset small and the query cheap to refuse).
const MAX_PAGE: u32 = 100_000;

/// Which page.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Page number, from 1 (newest changes first).
    pub page: Option<String>,
}

/// One change as shown.
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// The record before, as indented JSON.
    pub before: Option<String>,
    /// The record after, as indented JSON.
    pub after: Option<String>,
}

impl From<AuditEntry> for AuditRow {
    fn from(entry: AuditEntry) -> Self {
        let pretty = |value: Option<serde_json::Value>| {
            value.map(|v| serde_json::to_string_pretty(&v).unwrap_or_else(|_| v.to_string()))
        };
        AuditRow {
            at: when(&entry.at),
            actor: entry.actor,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            before: pretty(entry.before),
            after: pretty(entry.after),
        }
    }
}

/// The audit log page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub version: &'static str,
    pub organisation: Organisation,
    pub entries: Vec<AuditRow>,
    pub page: u32,
    /// Position of the first and last change shown (1 = newest).
    pub first: u64,
    pub last: u64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// Every change made in the organisation and to its members' accounts, newest first, 50 a
/// page: who, when, what, and the record before and after. Admins only (403 for other
/// members, 404 for everyone else).
#[utoipa::path(get, path = "/organisations/{id}/audit", tag = "accounts",
    params(("id" = String, Path, description = "Organisation id"), AuditQuery),
    responses(
        (status = 200, description = "The audit log", content_type = "text/html"),
        (status = 303, description = "Not signed in: to `/login`"),
        (status = 403, description = "You are a member but not an admin", content_type = "text/html"),
        (status = 404, description = "No such organisation, or you are not a member", content_type = "text/html"),
        (status = 422, description = "`page` is not a whole number from 1", content_type = "text/html")))]
pub async fn get_audit(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<AuditPage, PageError> {
    let organisation = organisation_id(&id)?;
    caller.require_role(organisation, Role::Admin)?;
    let query = page_query::<AuditQuery>(&uri)?;
    let page = match query.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .ok_or_else(|| {
                AppError::invalid(
                    "invalid_page",
                    "page",
                    format!("page must be a whole number from 1 to {MAX_PAGE}"),
                )
            })?,
    };
    let store = state.store();
    let offset = i64::from(page - 1) * i64::from(PAGE_SIZE);
    let mut entries = store
        .audit_page_for_organisation(&organisation.to_string(), i64::from(PAGE_SIZE) + 1, offset)
        .await?;
    let more = entries.len() > PAGE_SIZE as usize;
    entries.truncate(PAGE_SIZE as usize);
    let href = |p: u32| format!("/organisations/{organisation}/audit?page={p}");
    let first = u64::from(page - 1) * u64::from(PAGE_SIZE) + 1;
    Ok(AuditPage {
        version: VERSION,
        organisation: store.organisation_by_id(organisation).await?,
        first,
        last: first + entries.len() as u64 - 1,
        entries: entries.into_iter().map(AuditRow::from).collect(),
        page,
        previous: (page > 1).then(|| href(page - 1)),
        next: more.then(|| href(page + 1)),
    })
}
