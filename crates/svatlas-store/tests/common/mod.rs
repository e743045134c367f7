//! Helpers shared by the store's test files: signing people up, reading the audit log, the
//! kinds of refusal, raw SQL on either backend, and (in [`procurement`]) the tender journey.
// Each test file compiles this module on its own and uses a different subset of it.
#![allow(dead_code, unused_imports, unused_macros)]

pub mod procurement;

use svatlas_domain::accounts::{Email, NewPassword, Role};
use svatlas_store::accounts::{CreatedUser, NewUser};
use svatlas_store::audit::AuditEntry;
use svatlas_store::{Store, StoreError};
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

/// Whether `r` is the store's refusal of a change the record's state does not allow.
pub fn is_refused<T>(r: &Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Refused(_)))
}

/// Whether `r` is the store's refusal of invalid input.
pub fn is_invalid<T>(r: &Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Invalid(_)))
}

/// Whether `r` is the store's "not found".
pub fn not_found<T>(r: &Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::NotFound))
}

/// Runs the same sqlx expression on whichever pool the store holds, for tests that look at
/// rows the store's API does not show.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            svatlas_store::Store::Sqlite($pool) => $body,
            svatlas_store::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;
