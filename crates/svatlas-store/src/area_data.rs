//! Area data in the store: datasets, indicators, areas and value columns, written one dataset per
//! transaction and read back as the same [`DatasetBundle`]s the ingest produced.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use svatlas_areas::geography::{AreaClass, LadLineage, LsoaLink};
use svatlas_areas::{Area, AreaType, Dataset, DatasetBundle, Indicator, IndicatorColumn};

use crate::BeginWrite;
use crate::{Store, StoreError, dispatch};

/// Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 bind limits.
const AREA_ROWS_PER_INSERT: usize = 2_000;

/// What a dataset import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    /// The dataset was new and has been stored.
    Added,
    /// The dataset existed with different content and has been replaced.
    Replaced,
    /// The stored dataset already had exactly this content; nothing was written.
    Unchanged,
}

/// A stored dataset, as listed in the data directory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDataset {
    /// Dataset metadata (publisher, edition, licence, ...).
    pub dataset: Dataset,
    /// Whether a user imported it (rather than the shipped data).
    pub user_supplied: bool,
    /// Number of indicators.
    pub indicator_count: i64,
    /// Number of areas it defines (the geography dataset) .
    pub area_count: i64,
    /// Number of stored values.
    pub value_count: i64,
    /// SHA-256 of the imported content.
    pub content_hash: String,
    /// When it was imported (UTC).
    pub imported_at: DateTime<Utc>,
}

#[derive(Serialize, serde::Deserialize)]
struct Extras {
    lsoa_links: Vec<LsoaLink>,
    lad_lineages: Vec<LadLineage>,
    area_classes: Vec<AreaClass>,
}

#[derive(sqlx::FromRow)]
struct DatasetRow {
    id: String,
    user_supplied: bool,
    meta: String,
    extras: String,
    indicator_count: i64,
    area_count: i64,
    value_count: i64,
    content_hash: String,
    imported_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    dataset_id: String,
    area_type: String,
    code: String,
    name: String,
    parent_codes: String,
}

#[derive(sqlx::FromRow)]
struct ColumnRow {
    dataset_id: String,
    indicator_id: String,
    code_list: String,
    vals: Vec<u8>,
}

/// Everything `load_area_bundles` reads: datasets, (dataset, indicator JSON), areas, columns and
/// (hash, codes) lists.
type StoredRows = (
    Vec<DatasetRow>,
    Vec<(String, String)>,
    Vec<AreaRow>,
    Vec<ColumnRow>,
    Vec<(String, String)>,
);

/// Hex SHA-256 of some bytes.
fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn encode_values(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn decode_values(bytes: &[u8]) -> Result<Vec<f64>, StoreError> {
    if !bytes.len().is_multiple_of(8) {
        return Err(StoreError::Config(
            "stored value column has a partial number".into(),
        ));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect())
}

/// Everything of a bundle in the form it is stored, computed once before the transaction.
struct Prepared<'a> {
    meta: String,
    extras: String,
    indicators: Vec<(&'a str, String)>,
    code_lists: HashMap<String, String>,
    columns: Vec<(&'a str, String, Vec<u8>)>,
    value_count: i64,
    content_hash: String,
}

fn prepare(bundle: &DatasetBundle) -> Result<Prepared<'_>, StoreError> {
    let meta = serde_json::to_string(&bundle.dataset)?;
    let extras = serde_json::to_string(&Extras {
        lsoa_links: bundle.lsoa_links.clone(),
        lad_lineages: bundle.lad_lineages.clone(),
        area_classes: bundle.area_classes.clone(),
    })?;
    let mut hasher = Sha256::new();
    hasher.update(meta.as_bytes());
    hasher.update(extras.as_bytes());
    let mut indicators = Vec::with_capacity(bundle.indicators.len());
    for indicator in &bundle.indicators {
        let json = serde_json::to_string(indicator)?;
        hasher.update(json.as_bytes());
        indicators.push((indicator.id.as_str(), json));
    }
    for area in &bundle.areas {
        hasher.update(area.code.as_bytes());
        hasher.update(area.name.as_bytes());
        hasher.update(area.area_type.as_str().as_bytes());
        hasher.update(area.parent_codes.join(" ").as_bytes());
    }
    let mut code_lists = HashMap::new();
    let mut columns = Vec::with_capacity(bundle.columns.len());
    let mut value_count = 0i64;
    for column in &bundle.columns {
        let codes = column.codes.join("\n");
        let list_hash = hex_sha256(codes.as_bytes());
        let vals = encode_values(&column.values);
        hasher.update(column.indicator.as_bytes());
        hasher.update(list_hash.as_bytes());
        hasher.update(&vals);
        value_count += column.values.len() as i64;
        code_lists.entry(list_hash.clone()).or_insert(codes);
        columns.push((column.indicator.as_str(), list_hash, vals));
    }
    let content_hash = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Prepared {
        meta,
        extras,
        indicators,
        code_lists,
        columns,
        value_count,
        content_hash,
    })
}

impl Store {
    /// Stores one dataset in one transaction, replacing any earlier version of it. When the stored
    /// content is identical nothing is written ([`ImportOutcome::Unchanged`]), so importing twice
    /// is cheap and harmless.
    pub async fn save_area_bundle(
        &self,
        bundle: &DatasetBundle,
        seq: i64,
        user_supplied: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let p = prepare(bundle)?;
        let id = bundle.dataset.id.as_str();
        let now = Utc::now();
        let replaced: bool = dispatch!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let existing: Option<String> =
                sqlx::query_scalar("SELECT content_hash FROM area_datasets WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if existing.as_deref() == Some(p.content_hash.as_str()) {
                return Ok(ImportOutcome::Unchanged);
            }
            // ON DELETE CASCADE removes its indicators, areas and columns.
            sqlx::query("DELETE FROM area_datasets WHERE id = $1").bind(id).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO area_datasets (id, seq, name, user_supplied, meta, extras, \
                 indicator_count, area_count, value_count, content_hash, imported_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(seq)
            .bind(&bundle.dataset.name)
            .bind(user_supplied)
            .bind(&p.meta)
            .bind(&p.extras)
            .bind(bundle.indicators.len() as i64)
            .bind(bundle.areas.len() as i64)
            .bind(p.value_count)
            .bind(&p.content_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            for (position, (indicator_id, meta)) in p.indicators.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO area_indicators (id, dataset_id, position, meta) VALUES ($1, $2, $3, $4)",
                )
                .bind(*indicator_id)
                .bind(id)
                .bind(position as i64)
                .bind(meta)
                .execute(&mut *tx)
                .await?;
            }
            for (chunk_index, chunk) in bundle.areas.chunks(AREA_ROWS_PER_INSERT).enumerate() {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO areas (area_type, code, name, parent_codes, dataset_id, position) ",
                );
                insert.push_values(chunk.iter().enumerate(), |mut row, (i, area)| {
                    row.push_bind(area.area_type.as_str())
                        .push_bind(area.code.as_str())
                        .push_bind(area.name.as_str())
                        .push_bind(area.parent_codes.join(" "))
                        .push_bind(id)
                        .push_bind((chunk_index * AREA_ROWS_PER_INSERT + i) as i64);
                });
                insert.build().execute(&mut *tx).await?;
            }
            for (hash, codes) in &p.code_lists {
                sqlx::query(
                    "INSERT INTO area_code_lists (hash, codes) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING",
                )
                .bind(hash)
                .bind(codes)
                .execute(&mut *tx)
                .await?;
            }
            for (position, (indicator_id, list_hash, vals)) in p.columns.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO area_columns (dataset_id, position, indicator_id, code_list, vals) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(position as i64)
                .bind(*indicator_id)
                .bind(list_hash)
                .bind(vals.as_slice())
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "DELETE FROM area_code_lists WHERE hash NOT IN (SELECT code_list FROM area_columns)",
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            existing.is_some()
        });
        Ok(if replaced {
            ImportOutcome::Replaced
        } else {
            ImportOutcome::Added
        })
    }

    /// Every stored dataset, in import order.
    pub async fn list_area_datasets(&self) -> Result<Vec<StoredDataset>, StoreError> {
        let rows: Vec<DatasetRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT id, user_supplied, meta, extras, indicator_count, area_count, value_count, \
                 content_hash, imported_at FROM area_datasets ORDER BY seq, id",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|row| {
                Ok(StoredDataset {
                    dataset: serde_json::from_str(&row.meta)?,
                    user_supplied: row.user_supplied,
                    indicator_count: row.indicator_count,
                    area_count: row.area_count,
                    value_count: row.value_count,
                    content_hash: row.content_hash,
                    imported_at: row.imported_at,
                })
            })
            .collect()
    }

    /// Every stored area code of one type (e.g. all `lsoa21` codes), to check a user's file against.
    pub async fn area_codes(&self, area_type: AreaType) -> Result<Vec<String>, StoreError> {
        Ok(dispatch!(self, pool => {
            sqlx::query_scalar("SELECT code FROM areas WHERE area_type = $1")
                .bind(area_type.as_str())
                .fetch_all(pool)
                .await?
        }))
    }

    /// Whether any area data has been imported.
    pub async fn has_area_data(&self) -> Result<bool, StoreError> {
        let count: i64 = dispatch!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM area_datasets").fetch_one(pool).await?
        });
        Ok(count > 0)
    }

    /// Reads every stored dataset back as the bundles it was saved from, in import order.
    pub async fn load_area_bundles(&self) -> Result<Vec<DatasetBundle>, StoreError> {
        self.load_bundles(None).await
    }

    /// Reads one stored dataset back as the bundle it was saved from. Loading datasets one at a
    /// time keeps the server's peak memory to one dataset's worth of codes and values.
    pub async fn load_area_bundle(&self, id: &str) -> Result<DatasetBundle, StoreError> {
        self.load_bundles(Some(id))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn load_bundles(&self, only: Option<&str>) -> Result<Vec<DatasetBundle>, StoreError> {
        let (datasets, indicators, areas, columns, lists): StoredRows = dispatch!(self, pool => {
            // One snapshot, so the five reads see the same import while others write.
            let mut tx = pool.begin_read().await?;
            // `$1 IS NULL` selects every dataset; a name selects just that one.
            let datasets = sqlx::query_as(
                "SELECT id, user_supplied, meta, extras, indicator_count, area_count, value_count, \
                 content_hash, imported_at FROM area_datasets \
                 WHERE ($1 IS NULL OR id = $1) ORDER BY seq, id",
            )
            .bind(only)
            .fetch_all(&mut *tx)
            .await?;
            let indicators = sqlx::query_as(
                "SELECT dataset_id, meta FROM area_indicators \
                 WHERE ($1 IS NULL OR dataset_id = $1) ORDER BY dataset_id, position",
            )
            .bind(only)
            .fetch_all(&mut *tx)
            .await?;
            let areas = sqlx::query_as(
                "SELECT dataset_id, area_type, code, name, parent_codes FROM areas \
                 WHERE ($1 IS NULL OR dataset_id = $1) ORDER BY dataset_id, position",
            )
            .bind(only)
            .fetch_all(&mut *tx)
            .await?;
            let columns = sqlx::query_as(
                "SELECT dataset_id, indicator_id, code_list, vals FROM area_columns \
                 WHERE ($1 IS NULL OR dataset_id = $1) ORDER BY dataset_id, position",
            )
            .bind(only)
            .fetch_all(&mut *tx)
            .await?;
            let lists = sqlx::query_as(
                "SELECT hash, codes FROM area_code_lists WHERE hash IN \
                 (SELECT code_list FROM area_columns WHERE ($1 IS NULL OR dataset_id = $1))",
            )
            .bind(only)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            (datasets, indicators, areas, columns, lists)
        });
        let lists: HashMap<String, Vec<String>> = lists
            .into_iter()
            .map(|(hash, codes)| {
                let codes = if codes.is_empty() {
                    Vec::new()
                } else {
                    codes.split('\n').map(str::to_string).collect()
                };
                (hash, codes)
            })
            .collect();
        let mut bundles: Vec<DatasetBundle> = Vec::with_capacity(datasets.len());
        let mut index: HashMap<String, usize> = HashMap::new();
        for row in datasets {
            let dataset: Dataset = serde_json::from_str(&row.meta)?;
            let extras: Extras = serde_json::from_str(&row.extras)?;
            let mut bundle = DatasetBundle::with_dataset(dataset);
            bundle.lsoa_links = extras.lsoa_links;
            bundle.lad_lineages = extras.lad_lineages;
            bundle.area_classes = extras.area_classes;
            index.insert(row.id, bundles.len());
            bundles.push(bundle);
        }
        let slot = |id: &str| -> Result<usize, StoreError> {
            index.get(id).copied().ok_or_else(|| {
                StoreError::Config(format!("area data refers to a missing dataset {id:?}"))
            })
        };
        for (dataset_id, meta) in indicators {
            let indicator: Indicator = serde_json::from_str(&meta)?;
            bundles[slot(&dataset_id)?].indicators.push(indicator);
        }
        for row in areas {
            let area_type: AreaType = row.area_type.parse().map_err(|_| {
                StoreError::Config(format!(
                    "unknown area type {:?} in the store",
                    row.area_type
                ))
            })?;
            let parent_codes = row
                .parent_codes
                .split_whitespace()
                .map(str::to_string)
                .collect();
            bundles[slot(&row.dataset_id)?].areas.push(Area {
                code: row.code,
                name: row.name,
                area_type,
                parent_codes,
            });
        }
        for row in columns {
            let codes = lists.get(&row.code_list).cloned().ok_or_else(|| {
                StoreError::Config(format!("missing code list for {}", row.indicator_id))
            })?;
            let values = decode_values(&row.vals)?;
            if values.len() != codes.len() {
                return Err(StoreError::Config(format!(
                    "stored column {} has {} values for {} areas",
                    row.indicator_id,
                    values.len(),
                    codes.len()
                )));
            }
            bundles[slot(&row.dataset_id)?]
                .columns
                .push(IndicatorColumn {
                    indicator: row.indicator_id,
                    codes,
                    values,
                });
        }
        Ok(bundles)
    }

    /// Removes a user-supplied dataset; shipped datasets cannot be removed this way.
    pub async fn delete_user_dataset(&self, id: &str) -> Result<(), StoreError> {
        let deleted = dispatch!(self, pool => {
            sqlx::query("DELETE FROM area_datasets WHERE id = $1 AND user_supplied = $2")
                .bind(id)
                .bind(true)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        dispatch!(self, pool => {
            sqlx::query(
                "DELETE FROM area_code_lists WHERE hash NOT IN (SELECT code_list FROM area_columns)",
            )
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
