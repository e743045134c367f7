-- Area data (SQLite). Keep in step with migrations/postgres/0002_area_data.sql.
-- Values are stored per indicator column: the area codes once per distinct list (most columns of
-- a dataset share one), the values as little-endian f64 bytes. 6.9 million values load in about
-- a second this way; a row per value would make the file several times larger and the import
-- slower, and the server holds the columns in memory for analysis anyway.
INSERT INTO schema_version (version, description) VALUES (2, 'area data: datasets, indicators, areas, value columns');

CREATE TABLE area_datasets (
    id              TEXT    PRIMARY KEY,
    seq             INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    user_supplied   INTEGER NOT NULL,
    meta            TEXT    NOT NULL,
    extras          TEXT    NOT NULL,
    indicator_count INTEGER NOT NULL,
    area_count      INTEGER NOT NULL,
    value_count     INTEGER NOT NULL,
    content_hash    TEXT    NOT NULL,
    imported_at     TEXT    NOT NULL
);

CREATE TABLE area_indicators (
    id         TEXT    PRIMARY KEY,
    dataset_id TEXT    NOT NULL REFERENCES area_datasets (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    meta       TEXT    NOT NULL
);
CREATE INDEX area_indicators_dataset ON area_indicators (dataset_id);

CREATE TABLE areas (
    area_type    TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    parent_codes TEXT    NOT NULL,
    dataset_id   TEXT    NOT NULL REFERENCES area_datasets (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, area_type, code)
);
CREATE INDEX areas_dataset ON areas (dataset_id, position);
CREATE INDEX areas_code ON areas (code, area_type);

CREATE TABLE area_code_lists (
    hash  TEXT PRIMARY KEY,
    codes TEXT NOT NULL
);

CREATE TABLE area_columns (
    dataset_id   TEXT    NOT NULL REFERENCES area_datasets (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    indicator_id TEXT    NOT NULL,
    code_list    TEXT    NOT NULL REFERENCES area_code_lists (hash),
    vals         BLOB    NOT NULL,
    PRIMARY KEY (dataset_id, position)
);
