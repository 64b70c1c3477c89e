-- Idempotency keys (conventions.md, issue 14): the first response to a client's POST under a key, kept until
-- expires_at so that a retry gets it back instead of acting twice. Written in the same transaction as the effect
-- and its access-log record. request_hash is the SHA-256 of the method, the path and query, the content type and
-- the body: another request under the same key is refused (422).
CREATE TABLE idem_keys (
    client_id    TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT NULL,
    location     TEXT NULL,
    etag         TEXT NULL,
    resource_id  TEXT NULL,
    body         BLOB NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    PRIMARY KEY (client_id, idem_key)
);

CREATE INDEX ix_idem_keys_expires_at ON idem_keys (expires_at);
