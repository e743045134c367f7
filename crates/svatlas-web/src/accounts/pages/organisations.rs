//! An organisation's members (seen by its members, managed by its admins) and its audit log
//! (read by its admins). To anyone else an organisation does not exist (404).

pub mod add_member;
pub mod audit;
pub mod change_member;
pub mod get;
pub mod transparency;

use svatlas_domain::accounts::{PASSWORD_MIN_CHARS, Role};
use svatlas_store::accounts::Organisation;
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, when};
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
            layout: Layout::new("accounts"),
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
