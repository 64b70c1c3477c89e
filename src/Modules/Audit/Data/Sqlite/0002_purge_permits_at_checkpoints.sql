-- A purge permit opens the deletion of records only up to the head of a signed checkpoint (LOG-3):
-- never in the middle of a segment, never past what a checkpoint vouches for.
CREATE TRIGGER aud_purges_at_checkpoint BEFORE INSERT ON aud_purges
WHEN NOT EXISTS (SELECT 1 FROM aud_checkpoints c WHERE c.number = NEW.checkpoint_number AND c.to_seq = NEW.up_to_seq)
BEGIN
    SELECT RAISE(ABORT, 'a purge stops exactly at the head of a signed checkpoint');
END;

CREATE TRIGGER aud_purges_no_delete BEFORE DELETE ON aud_purges
BEGIN
    SELECT RAISE(ABORT, 'purge permits are append-only');
END;
