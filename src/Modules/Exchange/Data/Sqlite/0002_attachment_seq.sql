-- Attachments stream from the database without being loaded into memory. SQLite reads a BLOB in place only when
-- the query selects the row's rowid (or an alias of it): the table gets an INTEGER PRIMARY KEY, `seq`, which is
-- one. SQLite cannot add a primary key to a table, so the table is rebuilt, every row kept.
CREATE TABLE ex_attachments_new (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    exchange_id   TEXT NOT NULL REFERENCES ex_exchanges (id),
    position      INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    document_kind TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content       BLOB NOT NULL
);
INSERT INTO ex_attachments_new (id, exchange_id, position, file_name, media_type, document_kind, size_bytes, sha256, content)
SELECT id, exchange_id, position, file_name, media_type, document_kind, size_bytes, sha256, content FROM ex_attachments ORDER BY rowid;
DROP TABLE ex_attachments;
ALTER TABLE ex_attachments_new RENAME TO ex_attachments;
CREATE INDEX ix_ex_attachments_exchange ON ex_attachments (exchange_id, position);
