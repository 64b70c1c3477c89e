-- The resource a record's resource relates to (a forward: the original exchange; an observation: its
-- designation), so that auditors find every access to a resource by its id.
ALTER TABLE aud_events ADD COLUMN related_resource_id TEXT NULL;
CREATE INDEX ix_aud_events_related ON aud_events (related_resource_id, seq);
