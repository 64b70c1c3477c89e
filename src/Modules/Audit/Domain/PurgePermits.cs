using System.Text.Json;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// LOG-3 (loi 78-17 art. 101: the access log kept for its retention, and no less): the authorisation of a retention
/// purge, signed with the access-log key like the checkpoints: the records up to <see cref="UpToSeq"/> (the head of checkpoint <see cref="CheckpointNumber"/>, whose hash was <see cref="HeadHash"/>)
/// were removed on <see cref="PurgedAt"/> because that checkpoint was older than <see cref="Cutoff"/>, that is
/// <see cref="RetentionDays"/> before. A permit without a valid signature, or whose dates do not add up, authorises nothing.
/// </summary>
internal sealed class PurgePermit
{
    public long CheckpointNumber { get; set; }
    public long UpToSeq { get; set; }
    public string? HeadHash { get; set; }
    public string? CheckpointCreatedAt { get; set; }
    public int? RetentionDays { get; set; }
    public string? Cutoff { get; set; }
    public DateTimeOffset PurgedAt { get; set; }
    public string? KeyId { get; set; }
    public string? Signature { get; set; }

    public const string Columns =
        $"checkpoint_number AS {nameof(CheckpointNumber)}, up_to_seq AS {nameof(UpToSeq)}, head_hash AS {nameof(HeadHash)}, " +
        $"checkpoint_created_at AS {nameof(CheckpointCreatedAt)}, retention_days AS {nameof(RetentionDays)}, cutoff AS {nameof(Cutoff)}, " +
        $"purged_at AS {nameof(PurgedAt)}, key_id AS {nameof(KeyId)}, signature AS {nameof(Signature)}";

    public byte[] Canonical()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("type", "purge");
            json.WriteNumber("checkpointNumber", CheckpointNumber);
            json.WriteNumber("upToSeq", UpToSeq);
            json.WriteString("headHash", HeadHash);
            json.WriteString("checkpointCreatedAt", CheckpointCreatedAt);
            json.WriteNumber("retentionDays", RetentionDays ?? 0);
            json.WriteString("cutoff", Cutoff);
            json.WriteString("purgedAt", TypeHandlers.SqliteInstant(PurgedAt));
            json.WriteString("keyId", KeyId);
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Why this permit does not account for the records it removed against the checkpoint it names, or null when it
    /// does: signed by a known key, naming that checkpoint's head, and the checkpoint older than the retention.
    /// </summary>
    public string? Fault(Checkpoint? checkpoint, Func<string, string?> publicKeyPem, DateTimeOffset now)
    {
        if (Signature is null || KeyId is null || RetentionDays is not > 0 || Cutoff is null || HeadHash is null || CheckpointCreatedAt is null)
        {
            return $"the purge up to seq {UpToSeq} has no signed permit";
        }
        if (publicKeyPem(KeyId) is not { } key || !CheckpointSignatures.Verify(key, KeyId, Canonical(), Signature))
        {
            return $"the permit of the purge up to seq {UpToSeq} is not signed by the access-log key";
        }
        if (checkpoint is null || checkpoint.Number != CheckpointNumber || checkpoint.ToSeq != UpToSeq || checkpoint.HeadHash != HeadHash
            || checkpoint.CreatedAt != CheckpointCreatedAt || publicKeyPem(checkpoint.KeyId) is not { } checkpointKey
            || !CheckpointSignatures.Verify(checkpointKey, checkpoint))
        {
            return $"the permit of the purge up to seq {UpToSeq} does not match a signed checkpoint {CheckpointNumber}";
        }
        if (Cutoff != TypeHandlers.SqliteInstant(PurgedAt.AddDays(-RetentionDays.Value)) || string.CompareOrdinal(CheckpointCreatedAt, Cutoff) >= 0
            || PurgedAt > now)
        {
            return $"the purge up to seq {UpToSeq} removed records younger than its retention of {RetentionDays} days";
        }
        return null;
    }
}
