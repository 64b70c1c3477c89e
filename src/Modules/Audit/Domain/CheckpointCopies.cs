using System.Text.Json;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// The copies of the signed checkpoints kept outside the database (`Audit:CheckpointSink`, one file per checkpoint),
/// read back: by the offline verifier (`--trusted-checkpoints DIR`) and by the server's integrity check when the sink
/// is configured (LOG-3). Whoever can write to the database cannot reach them: a checkpoint removed from the database
/// with the records it signed is still here.
/// </summary>
internal static class CheckpointCopies
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>
    /// Every copy of the directory, each signed by a trusted key; or the reason one is not (a forged or damaged copy, a
    /// directory that cannot be read). A directory that does not exist holds no copy — unless <paramref name="mustExist"/>
    /// (the database holds checkpoints, so the sink should hold their copies: a volume not mounted must not read as
    /// "nothing removed").
    /// </summary>
    public static async Task<(List<Checkpoint> Copies, string? Fault)> ReadAsync(string directory, Func<string, string?> publicKeyPem,
        CancellationToken cancellationToken = default, bool mustExist = false)
    {
        var copies = new List<Checkpoint>();
        if (!Directory.Exists(directory))
        {
            return (copies, mustExist ? $"the directory of the checkpoint copies ({directory}) does not exist" : null);
        }
        List<string> paths;
        try
        {
            paths = [.. Directory.EnumerateFiles(directory, "checkpoint-*.ndjson").Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (copies, $"the directory of the checkpoint copies cannot be read ({e.GetType().Name})");
        }
        foreach (var path in paths)
        {
            Checkpoint? checkpoint = null;
            try
            {
                checkpoint = JsonSerializer.Deserialize<Checkpoint>((await File.ReadAllTextAsync(path, cancellationToken)).Trim(), Json);
            }
            catch (JsonException)
            {
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (copies, $"the checkpoint copy {Path.GetFileName(path)} cannot be read ({e.GetType().Name})");
            }
            if (checkpoint is null || publicKeyPem(checkpoint.KeyId ?? "") is not { } key || !CheckpointSignatures.Verify(key, checkpoint))
            {
                return (copies, $"the checkpoint copy {Path.GetFileName(path)} is not a checkpoint signed by a trusted key");
            }
            copies.Add(checkpoint);
        }
        return (copies, null);
    }

    /// <summary>
    /// The database's checkpoints checked against the copies: a copy whose checkpoint the database holds otherwise, or one
    /// past the head of the chain, is a fault; a copy the database lacks is added, so that the records it signs are checked
    /// against it.
    /// </summary>
    public static (List<Checkpoint> Checkpoints, string? Fault, long FirstInvalidSeq) Merge(IReadOnlyList<Checkpoint> checkpoints, IReadOnlyList<Checkpoint> copies, long head)
    {
        if (copies.Where(c => c.ToSeq > head).MaxBy(c => c.ToSeq) is { } beyond)
        {
            return ([.. checkpoints], $"records {head + 1} to {beyond.ToSeq}, signed by checkpoint {beyond.Number} (its copy outside the database), are missing", head + 1);
        }
        var merged = checkpoints.ToList();
        var byNumber = checkpoints.ToDictionary(c => c.Number);
        foreach (var copy in copies)
        {
            if (byNumber.GetValueOrDefault(copy.Number) is { } held)
            {
                if (held.Signature != copy.Signature)
                {
                    return (merged, $"checkpoint {copy.Number} differs from its copy outside the database", copy.FromSeq);
                }
            }
            else
            {
                merged.Add(copy);
            }
        }
        return (merged, null, 0);
    }
}
