-- VCSE partner directory (PostgreSQL). Keep in step with migrations/sqlite/0007_partners.sql.
-- One profile per organisation (the domain's JSON, svatlas_domain::partners::profile), its
-- needs (volunteers, goods, funding, skills, premises), and suppliers' pledges towards a need
-- under one of their contracts, with the delivery they report and the VCSE's confirmation.
INSERT INTO schema_version (version, description) VALUES (7, 'partners: VCSE profiles, needs, pledges and their delivery');

CREATE TABLE partner_profiles (
    id              TEXT    PRIMARY KEY,
    organisation_id TEXT    NOT NULL UNIQUE REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    published       BOOLEAN NOT NULL,
    details         TEXT    NOT NULL,
    created_by      TEXT    REFERENCES users (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX partner_profiles_published ON partner_profiles (published, name);

CREATE TABLE partner_needs (
    id         TEXT    PRIMARY KEY,
    profile_id TEXT    NOT NULL REFERENCES partner_profiles (id) ON DELETE CASCADE,
    position   BIGINT  NOT NULL,
    kind       TEXT    NOT NULL,
    is_open    BOOLEAN NOT NULL,
    details    TEXT    NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX partner_needs_profile ON partner_needs (profile_id, position);

-- A supplier's pledge towards one need, under one of its contracts. `quantity` is the pledged
-- quantity and `delivered_quantity` the reported one (both in the need's unit), copied out of
-- the JSON so totals can be read without parsing it; only confirmed delivery counts.
CREATE TABLE partner_pledges (
    id                       TEXT PRIMARY KEY,
    need_id                  TEXT NOT NULL REFERENCES partner_needs (id) ON DELETE CASCADE,
    profile_id               TEXT NOT NULL REFERENCES partner_profiles (id) ON DELETE CASCADE,
    contract_id              TEXT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    supplier_organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    status                   TEXT NOT NULL,
    details                  TEXT NOT NULL,
    quantity                 DOUBLE PRECISION,
    delivery                 TEXT,
    delivered_quantity       DOUBLE PRECISION,
    review_note              TEXT,
    reviewed_by              TEXT,
    reviewed_at              TIMESTAMPTZ,
    created_by               TEXT,
    created_at               TIMESTAMPTZ NOT NULL,
    updated_at               TIMESTAMPTZ NOT NULL
);
CREATE INDEX partner_pledges_need ON partner_pledges (need_id);
CREATE INDEX partner_pledges_profile ON partner_pledges (profile_id, created_at);
CREATE INDEX partner_pledges_contract ON partner_pledges (contract_id, created_at);
