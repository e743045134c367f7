//! Helpers shared by the store's test files: signing people up and reading the audit log.
// Each test file compiles this module on its own and uses a different subset of it.
#![allow(dead_code)]

use svatlas_domain::accounts::{Email, NewPassword, Role};
use svatlas_store::Store;
use svatlas_store::accounts::{CreatedUser, NewUser};
use svatlas_store::audit::AuditEntry;
use uuid::Uuid;

pub const PASSWORD: &str = "correct horse battery staple";

/// Signs `email` (called `name`) up as `role` of `organisation` (created when new).
pub async fn sign_up(
    store: &Store,
    email: &str,
    name: &str,
    organisation: &str,
    role: Role,
) -> CreatedUser {
    let email = Email::parse(email).unwrap();
    let password = NewPassword::parse(PASSWORD).unwrap();
    let new = NewUser {
        email: &email,
        name,
        password: &password,
        organisation,
        role,
    };
    store.create_user("cli", &new).await.unwrap()
}

/// [`sign_up`] as an admin: (organisation, user).
pub async fn admin_of(store: &Store, email: &str, name: &str, organisation: &str) -> (Uuid, Uuid) {
    let created = sign_up(store, email, name, organisation, Role::Admin).await;
    (created.organisation.id, created.user.id)
}

/// The audit log `org` sees.
pub async fn audit_log(store: &Store, org: Uuid) -> Vec<AuditEntry> {
    store
        .audit_for_organisation(&org.to_string(), 1000)
        .await
        .unwrap()
}

/// The (action, entity) of each row of the audit log `org` sees.
pub async fn audit_entities(store: &Store, org: Uuid) -> Vec<(String, String)> {
    audit_log(store, org)
        .await
        .into_iter()
        .map(|e| (e.action, e.entity))
        .collect()
}
