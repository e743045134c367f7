//! Reading rows on either backend: a query with one key parameter, the same query for each
//! of several organisations, or one query for many ids.

use uuid::Uuid;

use crate::{Store, StoreError, dispatch};

/// A row type both backends decode (every `#[derive(sqlx::FromRow)]` struct of the store).
pub(crate) trait Row:
    for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
    + Send
    + Unpin
{
}

impl<R> Row for R where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin
{
}

impl Store {
    /// The row `select` finds with its one parameter `key`; [`StoreError::NotFound`] when none.
    pub(crate) async fn row_by<R: Row>(&self, select: &str, key: &str) -> Result<R, StoreError> {
        self.maybe_row_by(select, key)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The row `select` finds with its one parameter `key`, if any.
    pub(crate) async fn maybe_row_by<R: Row>(
        &self,
        select: &str,
        key: &str,
    ) -> Result<Option<R>, StoreError> {
        Ok(dispatch!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(select)).bind(key).fetch_optional(pool).await?
        }))
    }

    /// Every row `select` finds with its one parameter `key`.
    pub(crate) async fn rows_by<R: Row>(
        &self,
        select: &str,
        key: &str,
    ) -> Result<Vec<R>, StoreError> {
        Ok(dispatch!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(select)).bind(key).fetch_all(pool).await?
        }))
    }

    /// Runs `select` (its one parameter an organisation id) once for each of `organisations`,
    /// the rows in that order.
    pub(crate) async fn rows_for_each<R: Row>(
        &self,
        select: &str,
        organisations: &[Uuid],
    ) -> Result<Vec<R>, StoreError> {
        let mut out = Vec::new();
        for org in organisations {
            out.extend(self.rows_by::<R>(select, &org.to_string()).await?);
        }
        Ok(out)
    }

    /// Runs `select` with `{ids}` replaced by "`column` is one of `ids`", the ids passed as one
    /// parameter so any number of them costs one query: a JSON array on SQLite (which has no
    /// array parameters), a text array on PostgreSQL.
    pub(crate) async fn rows_with_ids<R: Row>(
        &self,
        select: &str,
        column: &str,
        ids: &[Uuid],
    ) -> Result<Vec<R>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        Ok(match self {
            Store::Sqlite(pool) => {
                let sql = select.replace(
                    "{ids}",
                    &format!("{column} IN (SELECT value FROM json_each($1))"),
                );
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(serde_json::to_string(&ids)?)
                    .fetch_all(pool)
                    .await?
            }
            Store::Postgres(pool) => {
                let sql = select.replace("{ids}", &format!("{column} = ANY($1)"));
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(&ids[..])
                    .fetch_all(pool)
                    .await?
            }
        })
    }
}
