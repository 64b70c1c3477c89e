-- Issue 15: the metric of held exchanges waiting for a procureur's review counts them across instances, and reads the
-- oldest: an index by status and sending time, so that it reads the held ones only.
CREATE INDEX ix_ex_exchanges_status ON ex_exchanges (status, sent_at);
