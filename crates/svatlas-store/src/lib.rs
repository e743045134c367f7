//! The sv-atlas store: one [`Store`] over SQLite (embedded default) or PostgreSQL (scale-out).
//!
//! Each backend keeps its concrete sqlx pool (no `sqlx::Any`, which cannot carry timestamps or JSON)
//! and its own migrations folder. Repository modules (`audit`, `calculations`) write their SQL once
//! in the portable subset (`$1` placeholders work on both drivers) and run it through [`dispatch!`],
//! which type-checks the same code once per backend. Every change runs through `audited_write!`
//! (module `write`): checks, writes and audit entries in one transaction.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub mod accounts;
pub mod area_data;
pub mod audit;
pub mod calculations;
mod error;
pub mod opportunities;
pub mod partners;
mod password;
pub mod procurement;
pub mod projects;
mod read;
pub mod sessions;
pub mod testing;
mod write;

pub use error::StoreError;

/// Runs the same expression against whichever pool the store holds.
///
/// The expression is compiled once per backend, so a query that is not valid for one driver's
/// types fails to build rather than at run time.
macro_rules! dispatch {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite($pool) => $body,
            $crate::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use dispatch;

/// Opens a transaction that may write.
///
/// On SQLite it begins with `BEGIN IMMEDIATE`: a deferred transaction that reads and then
/// writes cannot wait for another writer (SQLite returns "database is locked" at once instead of
/// calling the busy handler when a read transaction is upgraded), so every transaction takes the
/// write lock up front and waits its turn under `busy_timeout`. On PostgreSQL it takes one
/// advisory lock, so writes take turns there too (see below).
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
    /// A transaction that only reads, seeing one snapshot throughout, without waiting for or
    /// holding up writers.
    async fn begin_read(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
    async fn begin_read(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        // Deferred: in WAL mode a reading transaction keeps the snapshot of its first read.
        self.begin_with("BEGIN").await
    }
}

/// Key of the advisory lock every PostgreSQL write transaction holds (any fixed number; it only
/// has to be the same for every instance).
const WRITE_LOCK: i64 = 0x0053_5641_544c_4153; // "SVATLAS" in ASCII

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    /// Writes take turns, as on SQLite: each transaction first takes one advisory lock, held
    /// until it commits or rolls back. Under READ COMMITTED two instances could otherwise both
    /// read, check and write (both pick version MAX+1, both pass a count limit); the lock makes
    /// every read-check-write change see the one before it, across every instance.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        let mut tx = self.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
    async fn begin_read(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
    }
}

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Embedded SQLite file (the default; nothing to install).
    Sqlite,
    /// PostgreSQL server, for several app servers sharing one store.
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// A connection pool to the sv-atlas database.
#[derive(Debug, Clone)]
pub enum Store {
    /// SQLite pool (WAL journal, foreign keys on).
    Sqlite(SqlitePool),
    /// PostgreSQL pool.
    Postgres(PgPool),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens a store from a URL: `sqlite://PATH` (created if missing) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("bad SQLite URL {url:?}: {e}")))?;
            Self::connect_sqlite(options).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("bad PostgreSQL URL: {e}")))?;
            Self::connect_postgres(options).await
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL {:?}: use sqlite://PATH or postgres://USER@HOST/DB",
                redact(url)
            )))
        }
    }

    /// Opens an SQLite store with the settings sv-atlas relies on.
    pub async fn connect_sqlite(options: SqliteConnectOptions) -> Result<Self, StoreError> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Store::Sqlite(pool))
    }

    /// Opens a PostgreSQL store.
    pub async fn connect_postgres(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Store::Postgres(pool))
    }

    /// Applies every pending migration for this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Store::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// The backend this store runs on.
    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// The highest schema version applied (from the `schema_version` table).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let version: Option<i64> = dispatch!(self, pool => {
            sqlx::query_scalar("SELECT CAST(MAX(version) AS BIGINT) FROM schema_version")
                .fetch_one(pool)
                .await?
        });
        Ok(version.unwrap_or(0))
    }

    /// A cheap round trip used by the health check.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let one: i32 = dispatch!(self, pool => {
            sqlx::query_scalar("SELECT CAST(1 AS INTEGER)").fetch_one(pool).await?
        });
        if one == 1 {
            Ok(())
        } else {
            Err(StoreError::Config(
                "database answered SELECT 1 wrongly".into(),
            ))
        }
    }

    /// Writes a consistent copy of an SQLite store to `path` (`VACUUM INTO`).
    ///
    /// PostgreSQL deployments back up with `pg_dump`, which knows the server's own formats; this
    /// returns a clear error there instead of a half-way copy.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => {
                if path.exists() {
                    return Err(StoreError::Config(format!(
                        "{} already exists: choose a new file for the backup",
                        path.display()
                    )));
                }
                let target = path.to_str().ok_or_else(|| {
                    StoreError::Config("backup path must be valid UTF-8".to_string())
                })?;
                sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
                Ok(())
            }
            Store::Postgres(_) => Err(StoreError::Config(
                "backups of a PostgreSQL store are taken with pg_dump (e.g. pg_dump -Fc DATABASE > svatlas.dump)"
                    .to_string(),
            )),
        }
    }

    /// Closes every connection (used at shutdown so SQLite checkpoints its WAL).
    pub async fn close(&self) {
        dispatch!(self, pool => pool.close().await)
    }
}

/// Hides the password in a database URL before it is logged or shown.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_only_the_password() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/svatlas"),
            "postgres://app:***@db:5432/svatlas"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(redact("sqlite://svatlas.db"), "sqlite://svatlas.db");
    }
}
