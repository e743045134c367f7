-- Foundation schema (SQLite). Keep in step with migrations/postgres/0001_foundation.sql.
CREATE TABLE schema_version (
    version     INTEGER PRIMARY KEY,
    description TEXT    NOT NULL,
    applied_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO schema_version (version, description) VALUES (1, 'foundation: audit log, saved SROI calculations');

-- Append-only: the triggers below refuse UPDATE and DELETE.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    entity     TEXT    NOT NULL,
    entity_id  TEXT    NOT NULL,
    before     TEXT,
    after      TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE sroi_calculations (
    id             TEXT PRIMARY KEY,
    created_at     TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    request        TEXT NOT NULL,
    result         TEXT NOT NULL
);
CREATE INDEX sroi_calculations_hash ON sroi_calculations (content_hash);
