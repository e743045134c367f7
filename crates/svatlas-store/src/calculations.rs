//! Saved SROI calculations: the request, the result and the engine version that produced it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::NewAuditEntry;
use crate::write::audited_write;
use crate::{Store, StoreError, dispatch};

/// A stored calculation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedCalculation {
    /// Opaque id (UUID v4), used in `GET /api/v1/sroi/calculations/{id}`.
    pub id: Uuid,
    /// When it was saved (UTC).
    pub created_at: DateTime<Utc>,
    /// Version of the SROI engine that computed `result`.
    pub engine_version: String,
    /// SHA-256 of the canonical request JSON: the same inputs always hash the same.
    pub content_hash: String,
    /// The request exactly as accepted.
    pub request: serde_json::Value,
    /// The result returned to the caller.
    pub result: serde_json::Value,
}

#[derive(sqlx::FromRow)]
struct CalculationRow {
    id: String,
    created_at: DateTime<Utc>,
    engine_version: String,
    content_hash: String,
    request: String,
    result: String,
}

impl TryFrom<CalculationRow> for SavedCalculation {
    type Error = StoreError;
    fn try_from(row: CalculationRow) -> Result<Self, StoreError> {
        Ok(SavedCalculation {
            id: Uuid::parse_str(&row.id).map_err(|_| StoreError::NotFound)?,
            created_at: row.created_at,
            engine_version: row.engine_version,
            content_hash: row.content_hash,
            request: serde_json::from_str(&row.request)?,
            result: serde_json::from_str(&row.result)?,
        })
    }
}

/// SHA-256 (hex) of a JSON value in canonical form (object keys sorted, no spaces).
///
/// `serde_json::Value` keeps object keys in a sorted map (the `preserve_order` feature is off in
/// this workspace), so serialising it is already canonical.
pub fn content_hash(value: &serde_json::Value) -> String {
    let digest = Sha256::digest(value.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Saves a calculation and its audit entry in one transaction.
    pub async fn save_calculation(
        &self,
        actor: &str,
        engine_version: &str,
        request: &serde_json::Value,
        result: &serde_json::Value,
    ) -> Result<SavedCalculation, StoreError> {
        let saved = SavedCalculation {
            id: Uuid::new_v4(),
            created_at: Utc::now(),
            engine_version: engine_version.to_string(),
            content_hash: content_hash(request),
            request: request.clone(),
            result: result.clone(),
        };
        let id = saved.id.to_string();
        let audit_after = serde_json::json!({
            "engine_version": saved.engine_version,
            "content_hash": saved.content_hash,
        });
        let audit = NewAuditEntry {
            actor,
            action: "create",
            entity: "sroi_calculation",
            entity_id: &id,
            before: None,
            after: Some(&audit_after),
            organisation_id: None,
        };
        audited_write!(self, saved.created_at, |tx| {
            sqlx::query(
                "INSERT INTO sroi_calculations \
                 (id, created_at, engine_version, content_hash, request, result) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(saved.created_at)
            .bind(&saved.engine_version)
            .bind(&saved.content_hash)
            .bind(request.to_string())
            .bind(result.to_string())
            .execute(&mut *tx)
            .await?;
        } audit [audit]);
        Ok(saved)
    }

    /// Loads a saved calculation; [`StoreError::NotFound`] when there is none with that id.
    pub async fn get_calculation(&self, id: Uuid) -> Result<SavedCalculation, StoreError> {
        let id = id.to_string();
        let row: CalculationRow = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT id, created_at, engine_version, content_hash, request, result \
                 FROM sroi_calculations WHERE id = $1",
            )
            .bind(&id)
            .fetch_one(pool)
            .await?
        });
        SavedCalculation::try_from(row)
    }
}
