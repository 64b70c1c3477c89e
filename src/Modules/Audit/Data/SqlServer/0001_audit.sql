-- The access log (loi 78-17 art. 101; LOG-1..3): append-only, hash-chained, with signed checkpoints.

CREATE TABLE aud_events (
    seq               BIGINT NOT NULL PRIMARY KEY,
    id                UNIQUEIDENTIFIER NOT NULL,
    occurred_at       CHAR(24) NOT NULL,  -- canonical UTC text yyyy-MM-ddTHH:mm:ss.fffZ, hashed as stored
    client_id         NVARCHAR(64) NULL,
    organisation_id   CHAR(36) NULL,
    organisation_kind NVARCHAR(40) NULL,
    on_behalf_of      NVARCHAR(200) NULL,
    action            NVARCHAR(100) NOT NULL,
    operation         NVARCHAR(20) NOT NULL,
    resource_type     NVARCHAR(50) NULL,
    resource_id       NVARCHAR(100) NULL,
    recipients        NVARCHAR(MAX) NULL,
    justification     NVARCHAR(500) NULL,
    outcome           NVARCHAR(10) NOT NULL,
    status            INT NOT NULL,
    rule_id           NVARCHAR(20) NULL,
    route             NVARCHAR(300) NULL,
    trace_id          NVARCHAR(100) NOT NULL,
    duration_ms       BIGINT NOT NULL,
    prev_hash         CHAR(64) NOT NULL,
    hash              CHAR(64) NOT NULL
);
CREATE INDEX ix_aud_events_occurred_at ON aud_events (occurred_at);
CREATE INDEX ix_aud_events_client ON aud_events (client_id, seq);
CREATE INDEX ix_aud_events_organisation ON aud_events (organisation_id, seq);
CREATE INDEX ix_aud_events_resource ON aud_events (resource_type, resource_id, seq);
CREATE INDEX ix_aud_events_trace ON aud_events (trace_id);

CREATE TABLE aud_head (
    id   INT NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash CHAR(64) NOT NULL
);
INSERT INTO aud_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE aud_checkpoints (
    number             BIGINT NOT NULL PRIMARY KEY,
    from_seq           BIGINT NOT NULL,
    to_seq             BIGINT NOT NULL,
    count              BIGINT NOT NULL,
    head_hash          CHAR(64) NOT NULL,
    created_at         CHAR(24) NOT NULL,
    previous_signature NVARCHAR(200) NULL,
    key_id             NVARCHAR(64) NOT NULL,
    signature          NVARCHAR(200) NOT NULL
);

CREATE TABLE aud_keys (
    key_id         NVARCHAR(64) NOT NULL PRIMARY KEY,
    algorithm      NVARCHAR(20) NOT NULL,
    public_key_pem NVARCHAR(1000) NOT NULL,
    first_used_at  DATETIMEOFFSET(3) NOT NULL
);

CREATE TABLE aud_purges (
    checkpoint_number BIGINT NOT NULL PRIMARY KEY REFERENCES aud_checkpoints (number),
    up_to_seq         BIGINT NOT NULL,
    purged_at         DATETIMEOFFSET(3) NOT NULL
);
GO

CREATE TRIGGER aud_events_append_only ON aud_events INSTEAD OF UPDATE
AS
BEGIN
    THROW 50001, 'the access log is append-only', 1;
END;
GO

CREATE TRIGGER aud_events_purge_only ON aud_events INSTEAD OF DELETE
AS
BEGIN
    IF EXISTS (SELECT 1 FROM deleted d WHERE NOT EXISTS (SELECT 1 FROM aud_purges p WHERE p.up_to_seq >= d.seq))
        THROW 50002, 'the access log is append-only: only retention removes whole checkpoint segments', 1;
    DELETE e FROM aud_events e JOIN deleted d ON d.seq = e.seq;
END;
GO

CREATE TRIGGER aud_checkpoints_append_only ON aud_checkpoints INSTEAD OF UPDATE, DELETE
AS
BEGIN
    THROW 50003, 'checkpoints are append-only', 1;
END;
GO

CREATE TRIGGER aud_purges_append_only ON aud_purges INSTEAD OF UPDATE, DELETE
AS
BEGIN
    THROW 50004, 'purge permits are append-only', 1;
END;
GO

-- Defence in depth where the application login is not the owner: no one but the owner changes the log.
-- DENY UPDATE, DELETE ON aud_events TO etatmajor_app;  (applied by the DBA; see docs/audit.md)
