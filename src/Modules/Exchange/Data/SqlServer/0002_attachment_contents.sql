-- Attachments are stored in chunks, outside the transaction that decides and delivers an exchange (the SQLite
-- script explains why); each chunk is committed on its own and the content stays invisible until the exchange's
-- transaction claims it. A forward shares its original's contents.
CREATE TABLE ex_contents (
    id         UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    sha256     CHAR(64) NOT NULL,
    size_bytes BIGINT NOT NULL,
    staged_at  DATETIMEOFFSET(3) NOT NULL,
    claimed_at DATETIMEOFFSET(3) NULL
);
CREATE INDEX ix_ex_contents_unclaimed ON ex_contents (claimed_at, staged_at);

CREATE TABLE ex_content_chunks (
    seq        BIGINT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    content_id UNIQUEIDENTIFIER NOT NULL REFERENCES ex_contents (id),
    n          INT NOT NULL,
    data       VARBINARY(MAX) NOT NULL
);
CREATE UNIQUE INDEX ux_ex_content_chunks ON ex_content_chunks (content_id, n);

INSERT INTO ex_contents (id, sha256, size_bytes, staged_at, claimed_at)
SELECT id, sha256, size_bytes, SYSDATETIMEOFFSET(), SYSDATETIMEOFFSET() FROM ex_attachments;
INSERT INTO ex_content_chunks (content_id, n, data) SELECT id, 0, content FROM ex_attachments;

ALTER TABLE ex_attachments ADD content_id UNIQUEIDENTIFIER NULL;
GO
UPDATE ex_attachments SET content_id = id;
ALTER TABLE ex_attachments ALTER COLUMN content_id UNIQUEIDENTIFIER NOT NULL;
ALTER TABLE ex_attachments DROP COLUMN content;
ALTER TABLE ex_attachments ADD CONSTRAINT fk_ex_attachments_content FOREIGN KEY (content_id) REFERENCES ex_contents (id);
CREATE INDEX ix_ex_attachments_content ON ex_attachments (content_id);
