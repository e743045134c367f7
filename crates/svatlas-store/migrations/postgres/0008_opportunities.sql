-- Open opportunities (PostgreSQL). Keep in step with migrations/sqlite/0008_opportunities.sql.
-- A buyer lists an open tender for suppliers to find (self-registration); a supplier
-- organisation asks to bid; the buyer accepts (which adds a tender_invitations row, so every
-- other rule of who sees and bids stays the invitation's) or declines with a reason.
INSERT INTO schema_version (version, description) VALUES (8, 'opportunities: tenders listed for suppliers, requests to bid and decisions');

CREATE TABLE tender_listings (
    tender_id TEXT PRIMARY KEY REFERENCES tenders (id) ON DELETE CASCADE,
    listed_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE tender_requests (
    tender_id       TEXT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    message         TEXT NOT NULL,
    note            TEXT NOT NULL,
    requested_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    decided_at      TIMESTAMPTZ,
    PRIMARY KEY (tender_id, organisation_id)
);
CREATE INDEX tender_requests_organisation ON tender_requests (organisation_id);
