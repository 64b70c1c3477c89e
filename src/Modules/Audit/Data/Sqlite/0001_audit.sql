-- The access log (loi 78-17 art. 101; LOG-1..3): append-only, hash-chained, with signed checkpoints.

CREATE TABLE aud_events (
    seq               INTEGER NOT NULL PRIMARY KEY,
    id                TEXT NOT NULL,
    occurred_at       TEXT NOT NULL,
    client_id         TEXT NULL,
    organisation_id   TEXT NULL,
    organisation_kind TEXT NULL,
    on_behalf_of      TEXT NULL,
    action            TEXT NOT NULL,
    operation         TEXT NOT NULL,
    resource_type     TEXT NULL,
    resource_id       TEXT NULL,
    recipients        TEXT NULL,
    justification     TEXT NULL,
    outcome           TEXT NOT NULL,
    status            INTEGER NOT NULL,
    rule_id           TEXT NULL,
    route             TEXT NULL,
    trace_id          TEXT NOT NULL,
    duration_ms       INTEGER NOT NULL,
    prev_hash         TEXT NOT NULL,
    hash              TEXT NOT NULL
);
CREATE INDEX ix_aud_events_occurred_at ON aud_events (occurred_at);
CREATE INDEX ix_aud_events_client ON aud_events (client_id, seq);
CREATE INDEX ix_aud_events_organisation ON aud_events (organisation_id, seq);
CREATE INDEX ix_aud_events_resource ON aud_events (resource_type, resource_id, seq);
CREATE INDEX ix_aud_events_trace ON aud_events (trace_id);

-- The head of the chain: one row, the lock point of every append.
CREATE TABLE aud_head (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO aud_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE aud_checkpoints (
    number             INTEGER NOT NULL PRIMARY KEY,
    from_seq           INTEGER NOT NULL,
    to_seq             INTEGER NOT NULL,
    count              INTEGER NOT NULL,
    head_hash          TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    previous_signature TEXT NULL,
    key_id             TEXT NOT NULL,
    signature          TEXT NOT NULL
);

CREATE TABLE aud_keys (
    key_id         TEXT NOT NULL PRIMARY KEY,
    algorithm      TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    first_used_at  TEXT NOT NULL
);

-- A purge permit: retention removes whole checkpoint segments, up to a checkpoint's to_seq, nothing else.
CREATE TABLE aud_purges (
    checkpoint_number INTEGER NOT NULL PRIMARY KEY REFERENCES aud_checkpoints (number),
    up_to_seq         INTEGER NOT NULL,
    purged_at         TEXT NOT NULL
);

CREATE TRIGGER aud_events_no_update BEFORE UPDATE ON aud_events
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;

CREATE TRIGGER aud_events_no_delete BEFORE DELETE ON aud_events
WHEN NOT EXISTS (SELECT 1 FROM aud_purges p WHERE p.up_to_seq >= OLD.seq)
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only: only retention removes whole checkpoint segments');
END;

CREATE TRIGGER aud_checkpoints_no_update BEFORE UPDATE ON aud_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;

CREATE TRIGGER aud_checkpoints_no_delete BEFORE DELETE ON aud_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;

CREATE TRIGGER aud_purges_no_change BEFORE UPDATE ON aud_purges
BEGIN
    SELECT RAISE(ABORT, 'purge permits are append-only');
END;
