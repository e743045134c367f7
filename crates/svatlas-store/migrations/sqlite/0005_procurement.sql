-- Procurement (SQLite). Keep in step with migrations/postgres/0005_procurement.sql.
-- A buyer organisation's tenders, the supplier organisations invited to bid, the buyer's
-- evaluation panel, bids (the domain's JSON, svatlas_domain::procurement::bid), evaluators'
-- and consensus scores, contracts made at award with their KPIs, delivery claims with their
-- review and evidence files.
INSERT INTO schema_version (version, description) VALUES (5, 'procurement: tenders, invitations, panels, bids, scores, contracts, delivery claims');

CREATE TABLE tenders (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    status          TEXT NOT NULL,
    details         TEXT NOT NULL,
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX tenders_organisation ON tenders (organisation_id, status);

CREATE TABLE tender_invitations (
    tender_id       TEXT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tender_id, organisation_id)
);
CREATE INDEX tender_invitations_organisation ON tender_invitations (organisation_id);

-- Who evaluates and who moderates a tender (members of the buyer organisation).
CREATE TABLE tender_panel (
    tender_id  TEXT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tender_id, user_id, role)
);

CREATE TABLE bids (
    id              TEXT PRIMARY KEY,
    tender_id       TEXT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    details         TEXT NOT NULL,
    submitted_at    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (tender_id, organisation_id)
);
CREATE INDEX bids_organisation ON bids (organisation_id);

-- One evaluator's score of one question of one bid.
CREATE TABLE bid_scores (
    bid_id       TEXT NOT NULL REFERENCES bids (id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL,
    evaluator_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    score        REAL NOT NULL,
    rationale    TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (bid_id, question_id, evaluator_id)
);

-- The moderated score of one question of one bid.
CREATE TABLE bid_consensus (
    bid_id        TEXT NOT NULL REFERENCES bids (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    score         REAL NOT NULL,
    justification TEXT NOT NULL,
    moderator_id  TEXT REFERENCES users (id) ON DELETE SET NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (bid_id, question_id)
);

CREATE TABLE contracts (
    id                       TEXT PRIMARY KEY,
    tender_id                TEXT NOT NULL UNIQUE REFERENCES tenders (id) ON DELETE CASCADE,
    bid_id                   TEXT NOT NULL REFERENCES bids (id) ON DELETE CASCADE,
    buyer_organisation_id    TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    supplier_organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title                    TEXT NOT NULL,
    kpis                     TEXT NOT NULL,
    created_at               TEXT NOT NULL
);
CREATE INDEX contracts_buyer ON contracts (buyer_organisation_id);
CREATE INDEX contracts_supplier ON contracts (supplier_organisation_id);

CREATE TABLE delivery_claims (
    id              TEXT PRIMARY KEY,
    contract_id     TEXT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    kpi_id          TEXT NOT NULL,
    status          TEXT NOT NULL,
    details         TEXT NOT NULL,
    beneficiary_ref TEXT,
    review_note     TEXT,
    reviewed_by     TEXT,
    reviewed_at     TEXT,
    created_by      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX delivery_claims_contract ON delivery_claims (contract_id, kpi_id);

CREATE TABLE claim_evidence (
    id           TEXT    PRIMARY KEY,
    claim_id     TEXT    NOT NULL REFERENCES delivery_claims (id) ON DELETE CASCADE,
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    content      BLOB    NOT NULL,
    uploaded_by  TEXT,
    created_at   TEXT    NOT NULL
);
CREATE INDEX claim_evidence_claim ON claim_evidence (claim_id);
