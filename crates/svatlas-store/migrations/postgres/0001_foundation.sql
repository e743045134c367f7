-- Foundation schema (PostgreSQL). Keep in step with migrations/sqlite/0001_foundation.sql.
CREATE TABLE schema_version (
    version     INTEGER PRIMARY KEY,
    description TEXT        NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO schema_version (version, description) VALUES (1, 'foundation: audit log, saved SROI calculations');

-- Append-only: the trigger below refuses UPDATE and DELETE.
CREATE TABLE audit_log (
    id         BIGSERIAL   PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT        NOT NULL,
    action     TEXT        NOT NULL,
    entity     TEXT        NOT NULL,
    entity_id  TEXT        NOT NULL,
    before     TEXT,
    after      TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE sroi_calculations (
    id             TEXT        PRIMARY KEY,
    created_at     TIMESTAMPTZ NOT NULL,
    engine_version TEXT        NOT NULL,
    content_hash   TEXT        NOT NULL,
    request        TEXT        NOT NULL,
    result         TEXT        NOT NULL
);
CREATE INDEX sroi_calculations_hash ON sroi_calculations (content_hash);
