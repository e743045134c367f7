//! The store's one error type.

/// What can go wrong in the store. `NotFound` and `Conflict` are mapped once, here, so callers
/// never inspect driver errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique or foreign-key constraint refused the write.
    #[error("conflict on {constraint}")]
    Conflict {
        /// Name of the constraint (or the driver's description when it gives no name).
        constraint: String,
    },
    /// A record with the same unique value exists already; the message names it.
    #[error("{0}")]
    Duplicate(String),
    /// Input the store refuses (for example an empty organisation name); the message says why.
    #[error("{0}")]
    Invalid(String),
    /// The change does not fit the record's current state (a tender not yet open, a claim
    /// already reviewed); the message says why.
    #[error("{0}")]
    Refused(String),
    /// The change would leave an organisation without an admin.
    #[error("an organisation must keep at least one admin: make another member an admin first")]
    LastAdmin,
    /// Password hashing failed (never expected; the message has the cause, never the password).
    #[error("password hashing failed: {0}")]
    Hashing(String),
    /// The store could not be opened as configured.
    #[error("{0}")]
    Config(String),
    /// Stored JSON could not be read back.
    #[error("stored data is not valid JSON: {0}")]
    Corrupt(#[from] serde_json::Error),
    /// Migrations failed to apply.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Backend(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(ref db)
                if db.is_unique_violation() || db.is_foreign_key_violation() =>
            {
                StoreError::Conflict {
                    constraint: db
                        .constraint()
                        .map(str::to_string)
                        .unwrap_or_else(|| db.message().to_string()),
                }
            }
            other => StoreError::Backend(other),
        }
    }
}

impl StoreError {
    /// Whether the database could not be reached at all (pool closed or timed out, I/O failure),
    /// as opposed to a query that failed.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Backend(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
            )
        )
    }
}
