//! The SQLite and PostgreSQL migrations must build the same schema: the same tables, each with
//! the same columns and the same nullability. Both folders are applied to fresh stores and their
//! catalogues compared (PostgreSQL runs when `SVATLAS_TEST_POSTGRES_URL` is set; without it the
//! test prints why it skipped, and fails under `SVATLAS_REQUIRE_SERVICES=1`).

use std::collections::BTreeMap;

use svatlas_store::Store;
use svatlas_store::testing::{postgres, sqlite};

/// Table name -> column name -> whether the column accepts NULL.
type Catalogue = BTreeMap<String, BTreeMap<String, bool>>;

/// sqlx's own bookkeeping table, which is not part of the application schema.
const SQLX_TABLE: &str = "_sqlx_migrations";

async fn sqlite_catalogue(store: &Store) -> Catalogue {
    let Store::Sqlite(pool) = store else {
        panic!("expected an SQLite store");
    };
    // `sqlite_%` names are SQLite's own (sqlite_sequence, sqlite_stat1, ...).
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> $1",
    )
    .bind(SQLX_TABLE)
    .fetch_all(pool)
    .await
    .unwrap();
    let mut catalogue = Catalogue::new();
    for table in tables {
        // name, notnull, pk (position in the primary key, 0 when not part of it)
        let columns: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT name, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        assert!(!columns.is_empty(), "sqlite table {table} has no columns");
        let columns = columns
            .into_iter()
            // A primary-key column cannot hold NULL in PostgreSQL; in SQLite an INTEGER PRIMARY
            // KEY cannot either (it is the rowid) although pragma reports notnull = 0.
            .map(|(name, notnull, pk)| (name, notnull == 0 && pk == 0))
            .collect();
        catalogue.insert(table, columns);
    }
    catalogue
}

async fn postgres_catalogue(store: &Store) -> Catalogue {
    let Store::Postgres(pool) = store else {
        panic!("expected a PostgreSQL store");
    };
    // Base tables only, in the schema the test store was migrated into.
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.is_nullable::text \
         FROM information_schema.columns c \
         JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> $1",
    )
    .bind(SQLX_TABLE)
    .fetch_all(pool)
    .await
    .unwrap();
    let mut catalogue = Catalogue::new();
    for (table, column, nullable) in rows {
        catalogue
            .entry(table)
            .or_default()
            .insert(column, nullable == "YES");
    }
    catalogue
}

/// Every difference between the two catalogues, one line each.
fn differences(sqlite: &Catalogue, postgres: &Catalogue) -> Vec<String> {
    let mut out = Vec::new();
    for table in sqlite.keys().filter(|t| !postgres.contains_key(*t)) {
        out.push(format!("table {table} exists only in SQLite"));
    }
    for table in postgres.keys().filter(|t| !sqlite.contains_key(*t)) {
        out.push(format!("table {table} exists only in PostgreSQL"));
    }
    for (table, lite) in sqlite {
        let Some(pg) = postgres.get(table) else {
            continue;
        };
        for (column, lite_nullable) in lite {
            match pg.get(column) {
                None => out.push(format!("column {table}.{column} exists only in SQLite")),
                Some(pg_nullable) if pg_nullable != lite_nullable => out.push(format!(
                    "column {table}.{column} is {} in SQLite but {} in PostgreSQL",
                    nullability(*lite_nullable),
                    nullability(*pg_nullable)
                )),
                Some(_) => {}
            }
        }
        for column in pg.keys().filter(|c| !lite.contains_key(*c)) {
            out.push(format!("column {table}.{column} exists only in PostgreSQL"));
        }
    }
    out
}

fn nullability(nullable: bool) -> &'static str {
    if nullable { "NULL" } else { "NOT NULL" }
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_define_the_same_tables_and_columns() {
    let lite = sqlite().await;
    let lite_catalogue = sqlite_catalogue(&lite.store).await;
    lite.finish().await;
    // The comparison means something only if the schema was read at all.
    assert!(
        lite_catalogue.contains_key("schema_version") && lite_catalogue.len() > 10,
        "SQLite catalogue looks empty: {:?}",
        lite_catalogue.keys().collect::<Vec<_>>()
    );
    assert!(!lite_catalogue.contains_key(SQLX_TABLE));

    let Some(pg) = postgres().await else {
        // postgres() printed why (and panicked if services are required).
        return;
    };
    let pg_catalogue = postgres_catalogue(&pg.store).await;
    pg.finish().await;

    let diff = differences(&lite_catalogue, &pg_catalogue);
    assert!(
        diff.is_empty(),
        "the SQLite and PostgreSQL migrations differ:\n  {}",
        diff.join("\n  ")
    );
}

#[test]
fn differences_names_missing_tables_columns_and_nullability() {
    let cat = |rows: &[(&str, &str, bool)]| {
        let mut c = Catalogue::new();
        for (t, col, n) in rows {
            c.entry((*t).to_string())
                .or_default()
                .insert((*col).to_string(), *n);
        }
        c
    };
    let lite = cat(&[("a", "id", false), ("a", "x", true), ("b", "id", false)]);
    let pg = cat(&[
        ("a", "id", false),
        ("a", "x", false),
        ("a", "y", true),
        ("c", "id", false),
    ]);
    assert_eq!(
        differences(&lite, &pg),
        vec![
            "table b exists only in SQLite",
            "table c exists only in PostgreSQL",
            "column a.x is NULL in SQLite but NOT NULL in PostgreSQL",
            "column a.y exists only in PostgreSQL",
        ]
    );
    assert!(differences(&lite, &lite).is_empty());
}
