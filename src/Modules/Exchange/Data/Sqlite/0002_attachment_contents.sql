-- Attachments are stored in chunks, outside the transaction that decides and delivers an exchange: SQLite has one
-- write lock for the whole database, and writing 40 MB of attachments inside that transaction held it long
-- enough to stall every other request. Each chunk is committed in a short transaction of its own; the content
-- stays invisible until the exchange's transaction claims it. A forward shares its original's contents.
CREATE TABLE ex_contents (
    id         TEXT NOT NULL PRIMARY KEY,
    sha256     TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    staged_at  TEXT NOT NULL,
    claimed_at TEXT NULL
);
CREATE INDEX ix_ex_contents_unclaimed ON ex_contents (claimed_at, staged_at);

-- `seq` is an INTEGER PRIMARY KEY, an alias of the rowid: SQLite then streams a chunk in place when it is read.
CREATE TABLE ex_content_chunks (
    seq        INTEGER PRIMARY KEY,
    content_id TEXT NOT NULL REFERENCES ex_contents (id),
    n          INTEGER NOT NULL,
    data       BLOB NOT NULL
);
CREATE UNIQUE INDEX ux_ex_content_chunks ON ex_content_chunks (content_id, n);

-- The attachments stored so far: each content becomes one chunk, claimed by its attachment.
INSERT INTO ex_contents (id, sha256, size_bytes, staged_at, claimed_at)
SELECT id, sha256, size_bytes, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM ex_attachments;
INSERT INTO ex_content_chunks (content_id, n, data) SELECT id, 0, content FROM ex_attachments;

-- SQLite cannot drop a column that a table was created with here: the table is rebuilt, every row kept.
CREATE TABLE ex_attachments_new (
    id            TEXT NOT NULL PRIMARY KEY,
    exchange_id   TEXT NOT NULL REFERENCES ex_exchanges (id),
    position      INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    document_kind TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content_id    TEXT NOT NULL REFERENCES ex_contents (id)
);
INSERT INTO ex_attachments_new (id, exchange_id, position, file_name, media_type, document_kind, size_bytes, sha256, content_id)
SELECT id, exchange_id, position, file_name, media_type, document_kind, size_bytes, sha256, id FROM ex_attachments;
DROP TABLE ex_attachments;
ALTER TABLE ex_attachments_new RENAME TO ex_attachments;
CREATE INDEX ix_ex_attachments_exchange ON ex_attachments (exchange_id, position);
CREATE INDEX ix_ex_attachments_content ON ex_attachments (content_id);
