-- A purge permit is signed with the access-log key (issue 14): the checkpoint it stops at, that checkpoint's head,
-- the retention and its cutoff. Someone who can write to the database cannot sign one, so a permit inserted by hand
-- and the records deleted under it are found by the integrity check (GET /api/v1/audit/integrity). Permits written
-- before this migration have no signature and authorise nothing.
ALTER TABLE aud_purges ADD COLUMN head_hash TEXT NULL;
ALTER TABLE aud_purges ADD COLUMN checkpoint_created_at TEXT NULL;
ALTER TABLE aud_purges ADD COLUMN retention_days INTEGER NULL;
ALTER TABLE aud_purges ADD COLUMN cutoff TEXT NULL;
ALTER TABLE aud_purges ADD COLUMN key_id TEXT NULL;
ALTER TABLE aud_purges ADD COLUMN signature TEXT NULL;
