//! Fresh, isolated stores for tests, on every backend that is available.
//!
//! SQLite always runs (a new file in the temp directory). PostgreSQL runs when
//! `SVATLAS_TEST_POSTGRES_URL` is set (each store gets its own new schema); when it is unset the
//! reason is printed, and with `SVATLAS_REQUIRE_SERVICES=1` a missing PostgreSQL is a failure.

use std::path::PathBuf;
use std::str::FromStr;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::SqliteConnectOptions;

use crate::Store;

/// Environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_URL_ENV: &str = "SVATLAS_TEST_POSTGRES_URL";
/// Environment variable that turns a skipped service into a failure (set in CI).
pub const REQUIRE_SERVICES_ENV: &str = "SVATLAS_REQUIRE_SERVICES";

/// A migrated store that belongs to one test.
pub struct TestStore {
    /// The store.
    pub store: Store,
    /// `"sqlite"` or `"postgres"`, for assertion messages.
    pub label: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Schema { url: String, schema: String },
}

/// Whether CI demands that every external service is present.
pub fn services_required() -> bool {
    std::env::var(REQUIRE_SERVICES_ENV).is_ok_and(|v| v == "1")
}

/// The PostgreSQL URL for tests, or `None` after printing why PostgreSQL tests are skipped.
///
/// # Panics
/// When PostgreSQL is required (`SVATLAS_REQUIRE_SERVICES=1`) but not configured.
pub fn postgres_url() -> Option<String> {
    match std::env::var(POSTGRES_URL_ENV) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                !services_required(),
                "{REQUIRE_SERVICES_ENV}=1 but {POSTGRES_URL_ENV} is not set: PostgreSQL tests cannot run"
            );
            eprintln!(
                "skipping PostgreSQL variant: {POSTGRES_URL_ENV} is not set \
                 (e.g. postgres://postgres@127.0.0.1:5432/test)"
            );
            None
        }
    }
}

/// A fresh migrated SQLite store in a new temporary file.
///
/// # Panics
/// When the store cannot be created (tests only).
pub async fn sqlite() -> TestStore {
    let path = std::env::temp_dir().join(format!("svatlas-test-{}.db", uuid::Uuid::new_v4()));
    let options = SqliteConnectOptions::new().filename(&path);
    let store = Store::connect_sqlite(options)
        .await
        .expect("open test SQLite store");
    store.migrate().await.expect("migrate test SQLite store");
    TestStore {
        store,
        label: "sqlite",
        cleanup: Cleanup::File(path),
    }
}

/// A fresh migrated PostgreSQL store in a new schema, when PostgreSQL is configured.
///
/// # Panics
/// When PostgreSQL is configured but unreachable (tests only).
pub async fn postgres() -> Option<TestStore> {
    let url = postgres_url()?;
    let schema = format!("svatlas_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {}: {e}", crate::redact(&url)));
    // The schema name is generated above from a UUID (hex digits only), never from input.
    let create = format!("CREATE SCHEMA {schema}");
    sqlx::query(sqlx::AssertSqlSafe(create))
        .execute(&mut admin)
        .await
        .expect("create test schema");
    admin.close().await.ok();
    let options = PgConnectOptions::from_str(&url)
        .expect("valid PostgreSQL URL")
        .options([("search_path", schema.as_str())]);
    let store = Store::connect_postgres(options)
        .await
        .expect("open test PostgreSQL store");
    store
        .migrate()
        .await
        .expect("migrate test PostgreSQL store");
    Some(TestStore {
        store,
        label: "postgres",
        cleanup: Cleanup::Schema { url, schema },
    })
}

/// One fresh store per available backend: SQLite always, PostgreSQL when configured.
pub async fn all_backends() -> Vec<TestStore> {
    let mut stores = vec![sqlite().await];
    stores.extend(postgres().await);
    stores
}

impl TestStore {
    /// Closes the store and removes its file or schema.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Cleanup::Schema { url, schema } => {
                if let Ok(mut admin) = PgConnection::connect(&url).await {
                    // Generated name, see `postgres()`.
                    let drop = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(drop))
                        .execute(&mut admin)
                        .await;
                    admin.close().await.ok();
                }
            }
        }
    }
}
