using System.Text.Json;

namespace EtatMajor.Modules.Audit.Features.VerifyExport;

/// <summary>
/// `audit verify FILE --public-key KEY.pem [--public-key OTHER.pem]`: checks an NDJSON export offline, with
/// the public keys the auditor fetched once (GET /api/v1/audit/keys), so that nobody need trust the server.
/// </summary>
internal static class VerifyCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public const string Usage =
        "Usage: audit verify EXPORT.ndjson --public-key KEYS.pem [--public-key MORE.pem] [--trusted-checkpoints DIR]\n" +
        "Checks an NDJSON export of the access log offline, with the public keys of GET /api/v1/audit/keys " +
        "(a file may hold several PEM blocks). --trusted-checkpoints: the copies of the checkpoints kept outside the " +
        "database (Audit:CheckpointSink); a record they sign that the export lacks is reported. " +
        "Relative paths are read from the current directory. Exit code: 0 valid, 1 broken, 2 unusable input.";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        if (args.Count < 1 || args[0] != "verify" || args.Any(a => a is "--help" or "-h"))
        {
            await output.WriteLineAsync(Usage);
            return args.Any(a => a is "--help" or "-h") ? 0 : 2;
        }
        var file = args.Skip(1).Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && args[i] is not ("--public-key" or "--trusted-checkpoints")).FirstOrDefault();
        var keyFiles = args.Select((a, i) => (a, i)).Where(p => p.a == "--public-key" && p.i + 1 < args.Count).Select(p => args[p.i + 1]).ToList();
        var trustedDirectory = args.Select((a, i) => (a, i)).Where(p => p.a == "--trusted-checkpoints" && p.i + 1 < args.Count).Select(p => Path.GetFullPath(args[p.i + 1])).FirstOrDefault();
        if (trustedDirectory is not null && !Directory.Exists(trustedDirectory))
        {
            await output.WriteLineAsync($"The directory {trustedDirectory} does not exist.");
            return 2;
        }
        if (file is null || keyFiles.Count == 0)
        {
            await output.WriteLineAsync($"The export file and at least one --public-key are required.\n{Usage}");
            return 2;
        }
        // Relative to the directory the command was run from, and said in full so that no one wonders which file was read.
        foreach (var path in keyFiles.Prepend(file).Select(Path.GetFullPath).Where(p => !File.Exists(p)))
        {
            await output.WriteLineAsync($"The file {path} does not exist.");
            return 2;
        }
        // A file may hold several keys (as GET /api/v1/audit/keys lists them, one PEM block after the other).
        var keys = new Dictionary<string, string>();
        foreach (var keyFile in keyFiles.Select(Path.GetFullPath))
        {
            var blocks = CheckpointSignatures.PemBlocks(await File.ReadAllTextAsync(keyFile));
            try
            {
                foreach (var pem in blocks)
                {
                    using var key = System.Security.Cryptography.ECDsa.Create();
                    key.ImportFromPem(pem);
                    keys[CheckpointSignatures.KeyId(key)] = pem;
                }
            }
            catch (ArgumentException)
            {
                blocks = [];
            }
            if (blocks.Count == 0)
            {
                await output.WriteLineAsync($"The file {keyFile} holds no PEM public key (copy publicKeyPem from GET /api/v1/audit/keys).");
                return 2;
            }
        }

        // Two passes over the file, so that memory stays constant whatever its size (an export of ten million records
        // is several gigabytes): the first reads the header, the checkpoints (they follow the records) and the end line,
        // and counts the records; the second streams the records through the verifier.
        // One handle for both passes, rewound in between: a pipe (`<(curl …)`) cannot be read twice, and a file replaced
        // between two opens would be counted in one and verified in the other.
        await using var export = new FileStream(Path.GetFullPath(file), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (!export.CanSeek)
        {
            await output.WriteLineAsync($"The export must be a file, not a pipe (it is read twice): save it first.\n{Usage}");
            return 2;
        }
        var checkpoints = new List<Checkpoint>();
        bool? contiguous = null;
        var toHead = false;
        var fromStart = false;
        PurgePermit? permit = null;
        DateTimeOffset? exportedInstant = null;
        string? exportedAt = null;
        long? declaredRecords = null;
        long records = 0;
        var lineNumber = 0L;
        foreach (var line in Lines(export))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith(EventPrefix, StringComparison.Ordinal))
            {
                records++;
                continue;
            }
            try
            {
                using var document = JsonDocument.Parse(line);
                switch (document.RootElement.GetProperty("type").GetString())
                {
                    case "export":
                        contiguous = document.RootElement.GetProperty("contiguous").GetBoolean();
                        toHead = document.RootElement.TryGetProperty("toHead", out var head) && head.ValueKind == JsonValueKind.True;
                        fromStart = document.RootElement.TryGetProperty("fromStart", out var start) && start.ValueKind == JsonValueKind.True;
                        exportedInstant = document.RootElement.TryGetProperty("exportedAt", out var at) && at.ValueKind == JsonValueKind.String
                            && DateTimeOffset.TryParse(at.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                                System.Globalization.DateTimeStyles.AdjustToUniversal, out var instant)
                            ? instant : null;
                        exportedAt = exportedInstant is { } exported ? TypeHandlers.SqliteInstant(exported.AddMinutes(-1)) : null;
                        break;
                    case "event":
                        records++;
                        break;
                    case "checkpoint":
                        checkpoints.Add(document.RootElement.Deserialize<Checkpoint>(Json)!);
                        break;
                    case "purge":
                        permit = document.RootElement.Deserialize<PurgePermit>(Json);
                        break;
                    case "end":
                        declaredRecords = document.RootElement.GetProperty("records").GetInt64();
                        break;
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                await output.WriteLineAsync($"broken: line {lineNumber} is not a line of an EtatMajor export.");
                return 1;
            }
        }
        if (Incomplete(contiguous, declaredRecords, records) is { } reason)
        {
            await output.WriteLineAsync($"broken: the file is not a complete export: {reason}.");
            return 1;
        }
        var (trusted, unreadable) = trustedDirectory is null ? ([], null) : await CheckpointCopies.ReadAsync(trustedDirectory, keys.GetValueOrDefault);
        if (unreadable is not null)
        {
            await output.WriteLineAsync($"broken: {unreadable}.");
            return 1;
        }
        // Only the copies made before the export, with a minute's margin: a checkpoint written later signs records
        // (the export's own among them) that the export cannot hold.
        trusted = exportedAt is null ? [] : trusted.Where(c => string.CompareOrdinal(c.CreatedAt, exportedAt) < 0).ToList();
        var (merged, differs, _) = CheckpointCopies.Merge(checkpoints, trusted, head: long.MaxValue);
        if (differs is not null)
        {
            await output.WriteLineAsync($"broken: {differs}.");
            return 1;
        }
        checkpoints = merged;
        VerificationResult result;
        var streamed = new RecordCount();
        try
        {
            export.Seek(0, SeekOrigin.Begin);
            result = await ChainVerifier.VerifyAsync(Records(export, streamed), anchor: null, contiguous!.Value, checkpoints, keys.GetValueOrDefault);
        }
        catch (UnreadableLineException e)
        {
            await output.WriteLineAsync($"broken: line {e.LineNumber} is not a line of an EtatMajor export.");
            return 1;
        }
        if (result.Valid && (result.Checked != records || streamed.Value != records))
        {
            await output.WriteLineAsync($"broken: the file changed while it was read ({records} records, then {streamed.Value}).");
            return 1;
        }
        // The export starts where the log starts: records before its first are accounted for by a signed purge permit
        // whose checkpoint's head the first record chains to (the check the server's integrity makes).
        if (result.Valid && fromStart && streamed.FirstSeq > 1)
        {
            var fault = permit is null || permit.UpToSeq != streamed.FirstSeq - 1
                ? $"records 1 to {streamed.FirstSeq - 1} are missing and no signed purge accounts for them"
                : permit.Fault(checkpoints.FirstOrDefault(c => c.Number == permit.CheckpointNumber), keys.GetValueOrDefault, exportedInstant ?? DateTimeOffset.MinValue)
                  ?? (streamed.FirstPrevHash != permit.HeadHash ? $"the record at seq {streamed.FirstSeq} does not chain to the head of the purge" : null);
            if (fault is not null)
            {
                await output.WriteLineAsync($"broken at seq {streamed.FirstSeq}: {fault}.");
                return 1;
            }
        }
        // The export runs to the head of the log: every record a trusted checkpoint signs must be in it.
        if (result.Valid && toHead && trusted.Where(c => c.ToSeq > streamed.LastSeq).MaxBy(c => c.ToSeq) is { } beyond)
        {
            await output.WriteLineAsync(
                $"broken at seq {streamed.LastSeq + 1}: records {streamed.LastSeq + 1} to {beyond.ToSeq}, signed by trusted checkpoint {beyond.Number}, are missing from the log.");
            return 1;
        }
        await output.WriteLineAsync(result.Valid
            ? $"valid: {result.Checked} records and {result.CheckpointsChecked} checkpoints verified ({(contiguous.Value ? "contiguous chain" : "selection: each record checked on its own")})."
            : $"broken at seq {result.FirstInvalidSeq}: {result.Reason}.");
        return result.Valid ? 0 : 1;
    }

    /// <summary>How the export writes every record's line; a line written otherwise is read in full by the first pass.</summary>
    private const string EventPrefix = "{\"type\":\"event\",";

    private sealed class RecordCount
    {
        public long Value { get; set; }

        public long LastSeq { get; set; }

        public long FirstSeq { get; set; }

        public string? FirstPrevHash { get; set; }
    }

    private static IEnumerable<string> Lines(Stream stream)
    {
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    /// <summary>The records of the file, one line at a time (the second pass), counted.</summary>
    private static async IAsyncEnumerable<AuditRecord> Records(Stream stream, RecordCount count)
    {
        var lineNumber = 0L;
        foreach (var line in Lines(stream))
        {
            lineNumber++;
            AuditRecord? record = null;
            try
            {
                if (line.Length > 0 && (line.StartsWith(EventPrefix, StringComparison.Ordinal) || IsEvent(line)))
                {
                    record = JsonSerializer.Deserialize<AuditRecord>(line, Json);
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new UnreadableLineException(lineNumber);
            }
            if (record is not null)
            {
                if (count.Value++ == 0)
                {
                    count.FirstSeq = record.Seq;
                    count.FirstPrevHash = record.PrevHash;
                }
                count.LastSeq = record.Seq;
                yield return record;
            }
        }
        await Task.CompletedTask;
    }

    private static bool IsEvent(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("type").GetString() == "event";
    }

    private sealed class UnreadableLineException(long lineNumber) : Exception
    {
        public long LineNumber { get; } = lineNumber;
    }


    private static string? Incomplete(bool? contiguous, long? declaredRecords, long records) =>
        (contiguous, declaredRecords) switch
        {
            (null, _) => "its header line is missing",
            (_, null) => "its end line is missing (was the download cut short?)",
            _ when declaredRecords != records => $"it holds {records} records while its end line declares {declaredRecords}",
            _ => null,
        };
}
