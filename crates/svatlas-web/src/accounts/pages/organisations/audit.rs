//! `GET /organisations/{id}/audit`: the organisation's audit log, for its admins.

use axum::extract::{Path, State};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_store::accounts::Organisation;
use svatlas_store::audit::AuditEntry;

use crate::accounts::pages::organisations::organisation_id;
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageQuery;
use crate::platform::views::Layout;
use crate::platform::views::when;
use crate::state::AppState;

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

/// One field of a changed record: its value before and after (`None` where the record did
/// not exist, or had no such field).
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl FieldChange {
    /// Whether the value changed.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }

    /// `same`, `changed`, `added` (no value before) or `removed` (none after).
    pub fn kind(&self) -> &'static str {
        match (&self.before, &self.after) {
            _ if !self.changed() => "same",
            (Some(_), Some(_)) => "changed",
            (None, _) => "added",
            (Some(_), None) => "removed",
        }
    }

    /// The value before, or empty.
    pub fn before_text(&self) -> &str {
        self.before.as_deref().unwrap_or_default()
    }

    /// The value after, or empty.
    pub fn after_text(&self) -> &str {
        self.after.as_deref().unwrap_or_default()
    }
}

/// One change as shown.
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// The record's fields, before and after, in field order.
    pub fields: Vec<FieldChange>,
}

impl From<AuditEntry> for AuditRow {
    fn from(entry: AuditEntry) -> Self {
        AuditRow {
            at: when(&entry.at),
            actor: entry.actor,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            fields: field_changes(entry.before.as_ref(), entry.after.as_ref()),
        }
    }
}

/// The fields of the before and after records side by side. Objects are split by key (the
/// union of both, in order); anything else is one field named `value`.
fn field_changes(
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Vec<FieldChange> {
    use serde_json::Value;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match (
        before.and_then(Value::as_object),
        after.and_then(Value::as_object),
    ) {
        (b, a) if (b.is_some() || before.is_none()) && (a.is_some() || after.is_none()) => {
            let mut keys: Vec<&String> = Vec::new();
            for key in b.into_iter().chain(a).flat_map(|o| o.keys()) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            keys.into_iter()
                .map(|key| FieldChange {
                    field: key.clone(),
                    before: b.and_then(|o| o.get(key)).map(text),
                    after: a.and_then(|o| o.get(key)).map(text),
                })
                .collect()
        }
        _ => vec![FieldChange {
            field: "value".to_owned(),
            before: before.map(text),
            after: after.map(text),
        }],
    }
}

/// The audit log page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "accounts/audit.html")]
pub struct AuditPage {
    pub layout: Layout,
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
    PageQuery(query): PageQuery<AuditQuery>,
) -> Result<AuditPage, PageError> {
    let organisation = organisation_id(&id)?;
    caller.require_role(organisation, Role::Admin)?;
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
        layout: Layout::new("accounts"),
        organisation: store.organisation_by_id(organisation).await?,
        first,
        last: first + entries.len() as u64 - 1,
        entries: entries.into_iter().map(AuditRow::from).collect(),
        page,
        previous: (page > 1).then(|| href(page - 1)),
        next: more.then(|| href(page + 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_lined_up_before_and_after() {
        let before = json!({"email": "bob@example.org", "role": "viewer"});
        let after = json!({"email": "bob@example.org", "role": "editor"});
        let fields = field_changes(Some(&before), Some(&after));
        let shown: Vec<_> = fields
            .iter()
            .map(|f| {
                (
                    f.field.as_str(),
                    f.before.as_deref(),
                    f.after.as_deref(),
                    f.changed(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "email",
                    Some("bob@example.org"),
                    Some("bob@example.org"),
                    false
                ),
                ("role", Some("viewer"), Some("editor"), true),
            ]
        );
        // Created: after only; deleted: before only; numbers and non-objects as JSON.
        let created = field_changes(None, Some(&json!({"failed_logins": 4})));
        assert_eq!(created[0].after.as_deref(), Some("4"));
        assert_eq!(created[0].before, None);
        assert_eq!(created[0].kind(), "added");
        assert_eq!((fields[0].kind(), fields[1].kind()), ("same", "changed"));
        let odd = field_changes(Some(&json!([1, 2])), None);
        assert_eq!(
            (odd[0].field.as_str(), odd[0].before.as_deref()),
            ("value", Some("[1,2]"))
        );
        assert!(field_changes(None, None).is_empty());
    }
}
