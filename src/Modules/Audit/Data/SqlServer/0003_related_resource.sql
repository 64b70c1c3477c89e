-- The resource a record's resource relates to (a forward: the original exchange; an observation: its
-- designation), so that auditors find every access to a resource by its id.
ALTER TABLE aud_events ADD related_resource_id NVARCHAR(100) NULL;
GO
CREATE INDEX ix_aud_events_related ON aud_events (related_resource_id, seq);
