//! An organisation's members (seen by its members, managed by its admins) and its audit log
//! (read by its admins). To anyone else an organisation does not exist (404).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::{Email, NewPassword, PASSWORD_MIN_CHARS, Role};
use svatlas_store::StoreError;
use svatlas_store::accounts::{NewUser, Organisation};
use svatlas_store::audit::AuditEntry;
use uuid::Uuid;

use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::{PageForm, PageQuery};
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, Layout, sentence, when};
use crate::state::AppState;

/// The organisation id of a path, or 404 (so a malformed id looks like any unknown one).
pub fn organisation_id(text: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text).map_err(|_| AppError::NotFound(format!("no organisation with id {text}")))
}

/// One member as listed.
pub struct MemberRow {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub since: String,
    /// Whether this is the person looking.
    pub is_me: bool,
}

/// What was typed into the add-member form (never the password).
#[derive(Debug, Default)]
pub struct AddMemberValues {
    pub email: String,
    pub name: String,
    pub role: String,
}

/// The organisation page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "accounts/organisation.html")]
pub struct OrganisationPage {
    pub layout: Layout,
    pub organisation: Organisation,
    pub members: Vec<MemberRow>,
    pub my_role: Role,
    pub is_admin: bool,
    pub roles: [Role; 3],
    pub errors: FormErrors,
    pub notice: Option<&'static str>,
    pub form: AddMemberValues,
    pub min_password: usize,
    /// Whether the organisation publishes its transparency page.
    pub transparency: bool,
}

impl OrganisationPage {
    /// The page of `organisation` as `caller` sees it: 404 unless they are a member.
    pub async fn load(
        state: &AppState,
        caller: &Caller,
        organisation: Uuid,
        errors: FormErrors,
    ) -> Result<OrganisationPage, AppError> {
        let my_role = caller.require_member(organisation)?;
        let store = state.store();
        let members = store
            .members_of(organisation)
            .await?
            .into_iter()
            .map(|m| MemberRow {
                is_me: m.user_id == caller.user.id,
                user_id: m.user_id,
                name: m.name,
                email: m.email,
                role: m.role,
                since: when(&m.since),
            })
            .collect();
        Ok(OrganisationPage {
            layout: Layout::signed_in("accounts", caller),
            organisation: store.organisation_by_id(organisation).await?,
            members,
            my_role,
            is_admin: my_role.can_manage_members(),
            roles: Role::ALL,
            errors,
            notice: None,
            form: AddMemberValues {
                role: Role::Viewer.as_str().to_owned(),
                ..AddMemberValues::default()
            },
            min_password: PASSWORD_MIN_CHARS,
            transparency: store.transparency_published(organisation).await?,
        })
    }
}

// `POST /organisations/{id}/members`: an admin adds a member, creating their account if
// they have none.

/// The add-member form as sent.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AddMemberForm {
    /// Email address of the person to add.
    pub email: String,
    /// `admin`, `editor` or `viewer`.
    pub role: String,
    /// Full name, only when they have no account yet.
    pub name: String,
    /// First password, only when they have no account yet.
    pub password: String,
}

/// Adds a member (admins only). Someone with an account joins with the role; for an email
/// address without an account, a name and a first password create one.
#[utoipa::path(post, path = "/organisations/{id}/members", tag = "accounts",
    params(("id" = String, Path, description = "Organisation id")),
    request_body(content = AddMemberForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Added: to `/organisations/{id}?done=added`"),
        (status = 403, description = "You are not an admin of the organisation", content_type = "text/html"),
        (status = 404, description = "No such organisation, or you are not a member", content_type = "text/html"),
        (status = 422, description = "A field is missing or refused", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn add_member(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    PageForm(form): PageForm<AddMemberForm>,
) -> Result<Response, PageError> {
    let organisation = organisation_id(&id)?;
    caller.require_role(organisation, Role::Admin)?;
    match add(&state, &caller, organisation, &form).await? {
        Ok(()) => {
            Ok(Redirect::to(&format!("/organisations/{organisation}?done=added")).into_response())
        }
        Err(errors) => {
            let mut page = OrganisationPage::load(&state, &caller, organisation, errors).await?;
            page.form = AddMemberValues {
                email: form.email,
                name: form.name,
                role: form.role,
            };
            Ok(show_again(page))
        }
    }
}

/// Adds the member, or says what is wrong with the form.
async fn add(
    state: &AppState,
    caller: &Caller,
    organisation: Uuid,
    form: &AddMemberForm,
) -> Result<Result<(), FormErrors>, AppError> {
    let store = state.store();
    let actor = caller.user.email.as_str();
    let mut errors = FormErrors::default();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.add("member_email", sentence(&e.to_string())))
        .ok();
    let role = Role::parse(&form.role)
        .map_err(|e| errors.add("member_role", sentence(&e.to_string())))
        .ok();
    let (Some(email), Some(role)) = (email, role) else {
        return Ok(Err(errors));
    };
    match store.user_by_email(&email).await {
        Ok(user) => match store
            .add_membership(actor, organisation, user.id, role)
            .await
        {
            Ok(()) => Ok(Ok(())),
            Err(StoreError::Duplicate(_)) => Ok(Err(FormErrors::one(
                "member_email",
                format!("{email} is already a member of this organisation"),
            ))),
            Err(e) => Err(e.into()),
        },
        Err(StoreError::NotFound) => {
            if form.name.trim().is_empty() {
                errors.add(
                    "member_name",
                    "No account has this email address yet: enter their full name to create one",
                );
            }
            let password = if form.password.is_empty() {
                errors.add(
                    "member_password",
                    "No account has this email address yet: enter a first password for it",
                );
                None
            } else {
                NewPassword::parse(&form.password)
                    .map_err(|e| errors.add("member_password", sentence(&e.to_string())))
                    .ok()
            };
            let Some(password) = password.filter(|_| errors.is_empty()) else {
                return Ok(Err(errors));
            };
            let organisation_name = store.organisation_by_id(organisation).await?.name;
            let new = NewUser {
                email: &email,
                name: &form.name,
                password: &password,
                organisation: &organisation_name,
                role,
            };
            match store.create_user(actor, &new).await {
                Ok(_) => Ok(Ok(())),
                Err(StoreError::Duplicate(message)) => {
                    Ok(Err(FormErrors::one("member_email", sentence(&message))))
                }
                Err(StoreError::Invalid(message)) => {
                    Ok(Err(FormErrors::one("member_name", sentence(&message))))
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

// `GET /organisations/{id}/audit`: the organisation's audit log, for its admins.

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
        layout: Layout::signed_in("accounts", &caller),
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
mod audit_tests {
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

// `POST /organisations/{id}/members/{user_id}`: an admin changes a member's role or removes
// them.

/// The member form as sent.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ChangeMemberForm {
    /// `role` (give the member `role`) or `remove` (take them out of the organisation).
    pub action: String,
    /// The new role, for `action=role`.
    pub role: String,
}

/// Changes a member's role or removes them (admins only). The last admin can be neither
/// demoted nor removed.
#[utoipa::path(post, path = "/organisations/{id}/members/{user_id}", tag = "accounts",
    params(("id" = String, Path, description = "Organisation id"),
           ("user_id" = String, Path, description = "The member's user id")),
    request_body(content = ChangeMemberForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done: back to the organisation (to `/account` when you removed yourself)"),
        (status = 403, description = "You are not an admin of the organisation", content_type = "text/html"),
        (status = 404, description = "No such organisation or member", content_type = "text/html"),
        (status = 422, description = "Unknown role or action, or the last admin would go", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn change_member(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, user_id)): Path<(String, String)>,
    PageForm(form): PageForm<ChangeMemberForm>,
) -> Result<Response, PageError> {
    let organisation = organisation_id(&id)?;
    caller.require_role(organisation, Role::Admin)?;
    let not_member =
        || AppError::NotFound("that person is not a member of this organisation".into());
    let member = Uuid::parse_str(&user_id).map_err(|_| not_member())?;
    let field = format!("role-{member}");
    let actor = caller.user.email.as_str();
    let store = state.store();
    let done = match form.action.as_str() {
        "role" => match Role::parse(&form.role) {
            Ok(role) => store
                .set_member_role(actor, organisation, member, role)
                .await
                .map(|()| "role"),
            Err(e) => Err(StoreError::Invalid(e.to_string())),
        },
        "remove" => store
            .remove_membership(actor, organisation, member)
            .await
            .map(|()| "removed"),
        _ => {
            return Err(AppError::invalid(
                "invalid_action",
                "action",
                "action must be role or remove",
            )
            .into());
        }
    };
    match done {
        Ok("removed") if member == caller.user.id => Ok(Redirect::to("/account").into_response()),
        Ok(done) => {
            Ok(Redirect::to(&format!("/organisations/{organisation}?done={done}")).into_response())
        }
        Err(StoreError::NotFound) => Err(not_member().into()),
        Err(e @ (StoreError::LastAdmin | StoreError::Invalid(_))) => {
            let errors = FormErrors::one(field, sentence(&e.to_string()));
            let page = OrganisationPage::load(&state, &caller, organisation, errors).await?;
            Ok(show_again(page))
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

// `GET /organisations/{id}`: an organisation's members.

/// What just happened (set by the redirects after a change).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// `added`, `role` or `removed`.
    pub done: Option<String>,
}

/// The organisation's members and roles, for its members; admins also get forms to add
/// members, change roles and remove members. 404 for anyone else.
#[utoipa::path(get, path = "/organisations/{id}", tag = "accounts",
    params(("id" = String, Path, description = "Organisation id"), OrganisationQuery),
    responses(
        (status = 200, description = "Members and roles", content_type = "text/html"),
        (status = 303, description = "Not signed in: to `/login`"),
        (status = 404, description = "No such organisation, or you are not a member", content_type = "text/html")))]
pub async fn get_organisation(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    PageQuery(query): PageQuery<OrganisationQuery>,
) -> Result<OrganisationPage, PageError> {
    let organisation = organisation_id(&id)?;
    let mut page =
        OrganisationPage::load(&state, &caller, organisation, FormErrors::default()).await?;
    page.notice = match query.done.as_deref() {
        Some("added") => Some("The member has been added"),
        Some("role") => Some("The member's role has been changed"),
        Some("removed") => Some("The member has been removed"),
        _ => None,
    };
    Ok(page)
}

// `POST /organisations/{id}/transparency`: an admin publishes (or stops publishing) the
// organisation's public transparency page.

/// The choice.
#[derive(Debug, Deserialize)]
pub struct TransparencyForm {
    /// `yes` to publish, `no` to stop.
    #[serde(default)]
    pub publish: String,
}

/// Publishes or withdraws the transparency page (admins).
#[utoipa::path(post, path = "/organisations/{id}/transparency", tag = "pages",
    params(("id" = String, Path, description = "Organisation id")),
    request_body(content_type = "application/x-www-form-urlencoded", description = "publish=yes|no"),
    responses(
        (status = 303, description = "Changed: back to the organisation page"),
        (status = 403, description = "Not an admin", content_type = "text/html"),
        (status = 404, description = "Not a member", content_type = "text/html"),
        (status = 422, description = "publish is not yes or no", content_type = "text/html")))]
pub async fn set_transparency(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    PageForm(form): PageForm<TransparencyForm>,
) -> Result<Redirect, PageError> {
    let org = organisation_id(&id)?;
    caller.require_role(org, Role::Admin)?;
    let publish = match form.publish.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(
                AppError::invalid("invalid", "publish", "choose to publish or to stop").into(),
            );
        }
    };
    state
        .store()
        .set_transparency(&caller.user.email, org, publish)
        .await?;
    Ok(Redirect::to(&format!("/organisations/{org}#transparency")))
}
