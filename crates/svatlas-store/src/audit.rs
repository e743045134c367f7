//! The append-only audit log: who changed what, when, with the state before and after.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreError, dispatch};

/// A change to record.
#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    /// Who made the change (a user's email, `api`, `cli`, or `anonymous`).
    pub actor: &'a str,
    /// What was done (`create`, `update`, `delete`, ...).
    pub action: &'a str,
    /// The kind of record changed (`sroi_calculation`, ...).
    pub entity: &'a str,
    /// The changed record's id.
    pub entity_id: &'a str,
    /// State before the change, if any.
    pub before: Option<&'a serde_json::Value>,
    /// State after the change, if any.
    pub after: Option<&'a serde_json::Value>,
    /// The organisation the change belongs to, so its admins can read it (`None` for changes
    /// outside any organisation, such as shared area data).
    pub organisation_id: Option<&'a str>,
}

impl<'a> NewAuditEntry<'a> {
    /// The same entry for this one and `other`: a change that concerns two organisations
    /// (buyer and supplier, supplier and VCSE) is logged for each, so both admins can read it.
    pub(crate) fn also_for(self, other: &'a str) -> [NewAuditEntry<'a>; 2] {
        let copy = NewAuditEntry {
            organisation_id: Some(other),
            ..self.clone()
        };
        [self, copy]
    }
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Sequence number (increases with time).
    pub id: i64,
    /// When the change was recorded (UTC).
    pub at: DateTime<Utc>,
    /// Who made it.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// Kind of record.
    pub entity: String,
    /// Record id.
    pub entity_id: String,
    /// State before.
    pub before: Option<serde_json::Value>,
    /// State after.
    pub after: Option<serde_json::Value>,
    /// The organisation the change belongs to.
    pub organisation_id: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
    organisation_id: Option<String>,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;
    fn try_from(row: AuditRow) -> Result<Self, StoreError> {
        let parse = |s: Option<String>| -> Result<Option<serde_json::Value>, StoreError> {
            s.map(|text| serde_json::from_str(&text))
                .transpose()
                .map_err(StoreError::from)
        };
        Ok(AuditEntry {
            id: row.id,
            at: row.at,
            actor: row.actor,
            action: row.action,
            entity: row.entity,
            entity_id: row.entity_id,
            before: parse(row.before)?,
            after: parse(row.after)?,
            organisation_id: row.organisation_id,
        })
    }
}

/// Inserts an audit row on any executor (a pool or an open transaction of either backend), so a
/// change and its audit entry commit together.
macro_rules! insert_audit {
    ($executor:expr, $entry:expr, $at:expr) => {{
        let entry: &$crate::audit::NewAuditEntry<'_> = $entry;
        sqlx::query(
            "INSERT INTO audit_log \
             (at, actor, action, entity, entity_id, before, after, organisation_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($at)
        .bind(entry.actor)
        .bind(entry.action)
        .bind(entry.entity)
        .bind(entry.entity_id)
        .bind(entry.before.map(|v| v.to_string()))
        .bind(entry.after.map(|v| v.to_string()))
        .bind(entry.organisation_id)
        .execute($executor)
        .await
    }};
}
pub(crate) use insert_audit;

impl Store {
    /// Appends one entry to the audit log.
    pub async fn record_audit(&self, entry: &NewAuditEntry<'_>) -> Result<(), StoreError> {
        let at = Utc::now();
        dispatch!(self, pool => {
            insert_audit!(pool, entry, at)?;
        });
        Ok(())
    }

    /// The audit trail of one record, oldest first.
    pub async fn audit_for(
        &self,
        entity: &str,
        entity_id: &str,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT id, at, actor, action, entity, entity_id, before, after, organisation_id \
                 FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
            )
            .bind(entity)
            .bind(entity_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(AuditEntry::try_from).collect()
    }

    /// The changes made inside one organisation, newest first, at most `limit` of them: what
    /// the organisation's admins may read. Includes events about the organisation's current
    /// members (entity `user`: lockouts, password changes, API tokens).
    pub async fn audit_for_organisation(
        &self,
        organisation_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_page_for_organisation(organisation_id, limit, 0)
            .await
    }

    /// One page of [`Store::audit_for_organisation`]: skips the `offset` newest entries, then
    /// returns at most `limit`.
    pub async fn audit_page_for_organisation(
        &self,
        organisation_id: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT id, at, actor, action, entity, entity_id, before, after, organisation_id \
                 FROM audit_log WHERE organisation_id = $1 \
                 OR (entity = 'user' AND entity_id IN \
                     (SELECT user_id FROM memberships WHERE organisation_id = $1)) \
                 ORDER BY id DESC LIMIT $2 OFFSET $3",
            )
            .bind(organisation_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(AuditEntry::try_from).collect()
    }
}
