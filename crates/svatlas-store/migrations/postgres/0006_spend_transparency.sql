-- Local spend and transparency (PostgreSQL). Keep in step with migrations/sqlite/0006_spend_transparency.sql.
-- Spend lines are the domain's JSON (svatlas_domain::procurement::spend::SpendLine), one row
-- each, under a contract. A buyer organisation with a row in transparency_opt_in publishes
-- its contracts, commitments and verified delivery on a public page (no personal data).
INSERT INTO schema_version (version, description) VALUES (6, 'procurement: local spend lines, buyer transparency opt-in');

CREATE TABLE contract_spend (
    id          TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    data        TEXT NOT NULL,
    created_by  TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX contract_spend_contract ON contract_spend (contract_id, created_at);

CREATE TABLE transparency_opt_in (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    opted_in_by     TEXT,
    opted_in_at     TIMESTAMPTZ NOT NULL
);
