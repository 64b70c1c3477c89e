-- A purge permit opens the deletion of records only up to the head of a signed checkpoint (LOG-3):
-- never in the middle of a segment, never past what a checkpoint vouches for.
CREATE TRIGGER aud_purges_at_checkpoint ON aud_purges AFTER INSERT
AS
BEGIN
    IF EXISTS (SELECT 1 FROM inserted i WHERE NOT EXISTS (
        SELECT 1 FROM aud_checkpoints c WHERE c.number = i.checkpoint_number AND c.to_seq = i.up_to_seq))
        THROW 50005, 'a purge stops exactly at the head of a signed checkpoint', 1;
END;
