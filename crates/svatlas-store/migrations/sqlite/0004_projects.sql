-- Calculator workspace (SQLite). Keep in step with migrations/postgres/0004_projects.sql.
-- A project belongs to one organisation. Its settings, outcomes and inputs are stored as the
-- domain's JSON (svatlas_domain::calculator), validated by the application before writing, and
-- always read whole with their project.
INSERT INTO schema_version (version, description) VALUES (4, 'calculator: projects, outcomes, inputs, own proxies, report versions, evidence files');

CREATE TABLE projects (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    details         TEXT NOT NULL,
    archived_at     TEXT,
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX projects_organisation ON projects (organisation_id, archived_at);

CREATE TABLE project_outcomes (
    id         TEXT    PRIMARY KEY,
    project_id TEXT    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    data       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX project_outcomes_project ON project_outcomes (project_id, position);

CREATE TABLE project_inputs (
    id         TEXT    PRIMARY KEY,
    project_id TEXT    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    data       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX project_inputs_project ON project_inputs (project_id, position);

-- Proxies an organisation adds to the shipped library, visible to its members only.
CREATE TABLE organisation_proxies (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    data            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX organisation_proxies_organisation ON organisation_proxies (organisation_id);

-- Frozen reports: the whole report JSON as it was, numbered per project.
CREATE TABLE report_versions (
    id           TEXT    PRIMARY KEY,
    project_id   TEXT    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    label        TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    report       TEXT    NOT NULL,
    created_by   TEXT,
    created_at   TEXT    NOT NULL,
    UNIQUE (project_id, number)
);

-- Evidence for an outcome's actual quantity (evaluative projects).
CREATE TABLE evidence_files (
    id           TEXT    PRIMARY KEY,
    project_id   TEXT    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    outcome_id   TEXT    NOT NULL REFERENCES project_outcomes (id) ON DELETE CASCADE,
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    content      BLOB    NOT NULL,
    uploaded_by  TEXT,
    created_at   TEXT    NOT NULL
);
CREATE INDEX evidence_files_outcome ON evidence_files (project_id, outcome_id);
