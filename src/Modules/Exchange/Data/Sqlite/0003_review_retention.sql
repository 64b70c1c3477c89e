-- Version 2 of the rules. CONF-2: an exchange that mentions a piece of procedure, or carries what cannot be read,
-- is held for a procureur of the instance, who releases or rejects it; recipients see only what is delivered.
-- DATA-2: an exchange past its retention is erased; its row stays as a content-free tombstone (ids, instance,
-- sender, dates), so that forwards keep pointing at it and the access log's references stay resolvable.
ALTER TABLE ex_exchanges ADD COLUMN status TEXT NOT NULL DEFAULT 'delivered';
ALTER TABLE ex_exchanges ADD COLUMN hold_reasons TEXT NULL;
ALTER TABLE ex_exchanges ADD COLUMN reviewed_by_organisation_id TEXT NULL;
ALTER TABLE ex_exchanges ADD COLUMN reviewed_at TEXT NULL;
ALTER TABLE ex_exchanges ADD COLUMN rejection_reason TEXT NULL;
ALTER TABLE ex_exchanges ADD COLUMN erased_at TEXT NULL;
CREATE INDEX ix_ex_exchanges_review ON ex_exchanges (instance_id, status, sent_at);
CREATE INDEX ix_ex_exchanges_retention ON ex_exchanges (sent_at) WHERE erased_at IS NULL;
