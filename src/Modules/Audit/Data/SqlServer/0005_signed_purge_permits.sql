-- A purge permit is signed with the access-log key (issue 14): the checkpoint it stops at, that checkpoint's head,
-- the retention and its cutoff. Someone who can write to the database cannot sign one, so a permit inserted by hand
-- and the records deleted under it are found by the integrity check (GET /api/v1/audit/integrity). Permits written
-- before this migration have no signature and authorise nothing.
ALTER TABLE aud_purges ADD head_hash CHAR(64) NULL, checkpoint_created_at CHAR(24) NULL, retention_days INT NULL,
    cutoff CHAR(24) NULL, key_id NVARCHAR(64) NULL, signature NVARCHAR(200) NULL;
