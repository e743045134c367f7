-- Accounts (PostgreSQL). Keep in step with migrations/sqlite/0003_accounts.sql.
-- Organisations own projects; users belong to organisations through memberships with a role.
-- Passwords are argon2id PHC strings; API tokens are stored only as SHA-256 hex of the token.
INSERT INTO schema_version (version, description) VALUES (3, 'accounts: organisations, users, memberships, API tokens, sessions');

CREATE TABLE organisations (
    id         TEXT        PRIMARY KEY,
    name       TEXT        NOT NULL,
    -- Lower-cased name, computed by the application, so uniqueness ignores case the same way
    -- on both backends.
    name_key   TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id            TEXT        PRIMARY KEY,
    email         TEXT        NOT NULL UNIQUE,
    name          TEXT        NOT NULL,
    password_hash TEXT        NOT NULL,
    failed_logins INTEGER     NOT NULL DEFAULT 0,
    locked_until  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
    organisation_id TEXT        NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id         TEXT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            TEXT        NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE api_tokens (
    id           TEXT        PRIMARY KEY,
    user_id      TEXT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL,
    token_hash   TEXT        NOT NULL UNIQUE,
    prefix       TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- tower-sessions records: the session data as JSON text, expired rows deleted by the store.
CREATE TABLE sessions (
    id          TEXT        PRIMARY KEY,
    data        TEXT        NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry_date);

-- Lets an organisation's admins read the changes made inside their organisation.
ALTER TABLE audit_log ADD COLUMN organisation_id TEXT;
CREATE INDEX audit_log_organisation ON audit_log (organisation_id, id);
