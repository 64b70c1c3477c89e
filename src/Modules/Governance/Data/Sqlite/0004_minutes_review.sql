-- CONF-2 applies to minutes (version 2): minutes that mention a piece of procedure, or cannot be fully read, are
-- kept for a procureur co-chair's review; until released, only the co-chairs read their text. Minutes written
-- before were published as written.
ALTER TABLE gov_meetings ADD COLUMN minutes_status TEXT NULL;
ALTER TABLE gov_meetings ADD COLUMN minutes_holds TEXT NULL;
ALTER TABLE gov_meetings ADD COLUMN minutes_reviewed_by_organisation_id TEXT NULL REFERENCES gov_organisations (id);
ALTER TABLE gov_meetings ADD COLUMN minutes_reviewed_at TEXT NULL;
UPDATE gov_meetings SET minutes_status = 'published' WHERE minutes IS NOT NULL;
