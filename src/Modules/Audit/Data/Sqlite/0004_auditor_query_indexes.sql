-- An auditor's page seeks the index of its filter, in seq order, at any depth of a log of ten million records
-- (issue 13): by action, by outcome, by resource id alone and by resource type. The resource index led by the
-- type could not serve a query by id alone.
DROP INDEX ix_aud_events_resource;
CREATE INDEX ix_aud_events_resource ON aud_events (resource_id, seq);
CREATE INDEX ix_aud_events_resource_type ON aud_events (resource_type, seq);
CREATE INDEX ix_aud_events_action ON aud_events (action, seq);
CREATE INDEX ix_aud_events_outcome ON aud_events (outcome, seq);
