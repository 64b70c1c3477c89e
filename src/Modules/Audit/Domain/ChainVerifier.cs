namespace EtatMajor.Modules.Audit.Domain;

internal sealed record VerificationResult(string Status, long Checked, long? FirstInvalidSeq, string? Reason, long CheckpointsChecked, Checkpoint? LastCheckpoint)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Valid => Status == "valid";
}

/// <summary>
/// Checks a run of records and the checkpoints that cover it: each record's hash, the chain from one record
/// to the next (for a contiguous run), each checkpoint's signature, its link to the previous checkpoint, and
/// that its head hash is the hash of the record at its `toSeq`. Used by the integrity endpoint and by the
/// offline verifier, so that an auditor need not trust the server. On the server the first record must chain to
/// a known anchor (genesis, the record before it, or the head of a retention purge): records missing without a
/// purge are a break (`requireAnchor`). Offline, an export starts where it starts, and the checkpoint before it,
/// when included, vouches for its first link.
/// </summary>
internal static class ChainVerifier
{
    public static async Task<VerificationResult> VerifyAsync(
        IAsyncEnumerable<AuditRecord> records, string? anchor, bool contiguous, IReadOnlyList<Checkpoint> checkpoints,
        Func<string, string?> publicKeyPem, CancellationToken cancellationToken = default, bool requireAnchor = false)
    {
        var heads = checkpoints.Select(c => c.ToSeq).ToHashSet();
        var hashAt = new Dictionary<long, string>();
        string? previousHash = anchor;
        long? previousSeq = null;
        long checkedCount = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (contiguous && previousSeq is null && anchor is null && requireAnchor)
            {
                return Broken(checkedCount, record.Seq,
                    $"the records before seq {record.Seq} are missing and no retention purge accounts for them");
            }
            if (contiguous && previousSeq is { } seq && record.Seq != seq + 1)
            {
                return Broken(checkedCount, record.Seq, $"records {seq + 1} to {record.Seq - 1} are missing");
            }
            if (contiguous && previousHash is not null && record.PrevHash != previousHash)
            {
                return Broken(checkedCount, record.Seq, "the record does not chain to the previous one");
            }
            if (!Chain.IsHash(record.PrevHash) || !Chain.IsHash(record.Hash))
            {
                return Broken(checkedCount, record.Seq, "the record's hashes are not SHA-256 hashes");
            }
            if (record.ComputeHash() != record.Hash)
            {
                return Broken(checkedCount, record.Seq, "the record's content does not match its hash");
            }
            // The first record's previous hash is the head signed by the checkpoint just before it.
            if (heads.Contains(record.Seq))
            {
                hashAt[record.Seq] = record.Hash;
            }
            if (contiguous && previousSeq is null && heads.Contains(record.Seq - 1))
            {
                hashAt[record.Seq - 1] = record.PrevHash;
            }
            previousHash = record.Hash;
            previousSeq = record.Seq;
            checkedCount++;
        }

        Checkpoint? previous = null;
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Number))
        {
            var key = publicKeyPem(checkpoint.KeyId);
            if (key is null || !CheckpointSignatures.Verify(key, checkpoint))
            {
                return Broken(checkedCount, checkpoint.ToSeq, $"checkpoint {checkpoint.Number} has no valid signature");
            }
            if (previous is not null && previous.Number == checkpoint.Number - 1 && checkpoint.PreviousSignature != previous.Signature)
            {
                return Broken(checkedCount, checkpoint.ToSeq, $"checkpoint {checkpoint.Number} does not chain to checkpoint {previous.Number}");
            }
            if (hashAt.TryGetValue(checkpoint.ToSeq, out var hash) && hash != checkpoint.HeadHash)
            {
                return Broken(checkedCount, checkpoint.ToSeq, $"the record at seq {checkpoint.ToSeq} differs from what checkpoint {checkpoint.Number} signed");
            }
            previous = checkpoint;
        }
        return new VerificationResult("valid", checkedCount, null, null, checkpoints.Count, checkpoints.MaxBy(c => c.Number));

        VerificationResult Broken(long count, long seq, string reason) =>
            new("broken", count, seq, reason, checkpoints.Count, checkpoints.MaxBy(c => c.Number));
    }
}
