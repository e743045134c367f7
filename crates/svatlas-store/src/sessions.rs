//! Login sessions for tower-sessions, kept in the `sessions` table of either backend.
//!
//! The published `tower-sessions-sqlx-store` still depends on sqlx 0.8, so this is our own
//! [`SessionStore`] over [`Store`]: one row per session, the data as JSON text, the expiry as a
//! UTC timestamp. Expired rows are never returned and are removed by
//! [`ExpiredDeletion::delete_expired`] (run it periodically, e.g. with
//! `continuously_delete_expired`).

use chrono::{DateTime, Utc};
use time::OffsetDateTime;
use tower_sessions_core::session::{Id, Record};
use tower_sessions_core::session_store::{self, ExpiredDeletion, SessionStore};

use crate::{Store, dispatch};

/// Sessions in the sv-atlas database: pass it to tower-sessions' `SessionManagerLayer::new`.
#[derive(Debug, Clone)]
pub struct SessionStorage {
    store: Store,
}

impl SessionStorage {
    /// Sessions kept in `store` (which must be migrated).
    pub fn new(store: Store) -> Self {
        SessionStorage { store }
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

/// tower-sessions' expiry as a chrono UTC time, to the microsecond (what PostgreSQL keeps).
fn to_chrono(at: OffsetDateTime) -> Result<DateTime<Utc>, session_store::Error> {
    let micros = i64::try_from(at.unix_timestamp_nanos() / 1_000)
        .map_err(|_| session_store::Error::Encode("expiry date out of range".into()))?;
    DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| session_store::Error::Encode("expiry date out of range".into()))
}

fn to_time(at: DateTime<Utc>) -> Result<OffsetDateTime, session_store::Error> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.timestamp_micros()) * 1_000)
        .map_err(|e| session_store::Error::Decode(e.to_string()))
}

fn encode(record: &Record) -> Result<(String, String, DateTime<Utc>), session_store::Error> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    Ok((record.id.to_string(), data, to_chrono(record.expiry_date)?))
}

#[async_trait::async_trait]
impl SessionStore for SessionStorage {
    /// Inserts a new session; on the (astronomically unlikely) clash of ids, draws a new id.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let (id, data, expiry) = encode(record)?;
            let inserted = dispatch!(&self.store, pool => {
                sqlx::query(
                    "INSERT INTO sessions (id, data, expiry_date) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(&id)
                .bind(&data)
                .bind(expiry)
                .execute(pool)
                .await
                .map_err(backend)?
                .rows_affected()
            });
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (id, data, expiry) = encode(record)?;
        dispatch!(&self.store, pool => {
            sqlx::query(
                "INSERT INTO sessions (id, data, expiry_date) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, \
                 expiry_date = excluded.expiry_date",
            )
            .bind(&id)
            .bind(&data)
            .bind(expiry)
            .execute(pool)
            .await
            .map_err(backend)?;
        });
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let id = session_id.to_string();
        let now = Utc::now();
        let row: Option<(String, DateTime<Utc>)> = dispatch!(&self.store, pool => {
            sqlx::query_as("SELECT data, expiry_date FROM sessions WHERE id = $1 AND expiry_date > $2")
                .bind(&id)
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(backend)?
        });
        row.map(|(data, expiry)| {
            Ok(Record {
                id: *session_id,
                data: serde_json::from_str(&data)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))?,
                expiry_date: to_time(expiry)?,
            })
        })
        .transpose()
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        let id = session_id.to_string();
        dispatch!(&self.store, pool => {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(&id)
                .execute(pool)
                .await
                .map_err(backend)?;
        });
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for SessionStorage {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = Utc::now();
        dispatch!(&self.store, pool => {
            sqlx::query("DELETE FROM sessions WHERE expiry_date <= $1")
                .bind(now)
                .execute(pool)
                .await
                .map_err(backend)?;
        });
        Ok(())
    }
}
