-- Idempotency keys (conventions.md, issue 14): the first response to a client's POST under a key, kept until
-- expires_at so that a retry gets it back instead of acting twice. Written in the same transaction as the effect
-- and its access-log record. request_hash is the SHA-256 of the method, the path and query, the content type and
-- the body: another request under the same key is refused (422).
CREATE TABLE idem_keys (
    -- Compared byte for byte, as the API compares them: the default collation would take "aB" and "Ab " for one key.
    client_id    NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
    idem_key     NVARCHAR(255) COLLATE Latin1_General_BIN2 NOT NULL,
    request_hash CHAR(64) NOT NULL,
    status       INT NOT NULL,
    content_type NVARCHAR(200) NULL,
    location     NVARCHAR(2000) NULL,
    etag         NVARCHAR(100) NULL,
    resource_id  NVARCHAR(100) NULL,
    body         VARBINARY(MAX) NULL,
    created_at   DATETIMEOFFSET(3) NOT NULL,
    expires_at   DATETIMEOFFSET(3) NOT NULL,
    CONSTRAINT pk_idem_keys PRIMARY KEY (client_id, idem_key)
);

CREATE INDEX ix_idem_keys_expires_at ON idem_keys (expires_at);
