using System.Text.Json;
using EtatMajor.Modules.Audit.Domain;

namespace EtatMajor.Modules.Audit.Features;

/// <summary>
/// `audit verify FILE --public-key KEY.pem [--public-key OTHER.pem]`: checks an NDJSON export offline, with
/// the public keys the auditor fetched once (GET /api/v1/audit/keys), so that nobody need trust the server.
/// </summary>
internal static class VerifyCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        if (args.Count < 1 || args[0] != "verify")
        {
            await output.WriteLineAsync("usage: audit verify EXPORT.ndjson --public-key KEY.pem [--public-key KEY2.pem]");
            return 2;
        }
        var file = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var keyFiles = args.Select((a, i) => (a, i)).Where(p => p.a == "--public-key" && p.i + 1 < args.Count).Select(p => args[p.i + 1]).ToList();
        if (file is null || keyFiles.Count == 0 || !File.Exists(file) || keyFiles.Any(k => !File.Exists(k)))
        {
            await output.WriteLineAsync("usage: audit verify EXPORT.ndjson --public-key KEY.pem (the files must exist)");
            return 2;
        }
        var keys = new Dictionary<string, string>();
        foreach (var pem in keyFiles.Select(File.ReadAllText))
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            key.ImportFromPem(pem);
            keys[CheckpointSignatures.KeyId(key)] = pem;
        }

        var records = new List<AuditRecord>();
        var checkpoints = new List<Checkpoint>();
        bool? contiguous = null;
        long? declaredRecords = null;
        foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            switch (document.RootElement.GetProperty("type").GetString())
            {
                case "export":
                    contiguous = document.RootElement.GetProperty("contiguous").GetBoolean();
                    break;
                case "event":
                    records.Add(document.RootElement.Deserialize<AuditRecord>(Json)!);
                    break;
                case "checkpoint":
                    checkpoints.Add(document.RootElement.Deserialize<Checkpoint>(Json)!);
                    break;
                case "end":
                    declaredRecords = document.RootElement.GetProperty("records").GetInt64();
                    break;
            }
        }
        if (contiguous is null || declaredRecords != records.Count)
        {
            await output.WriteLineAsync($"broken: the file is not a complete export (header or end line missing, or {records.Count} records for {declaredRecords} declared)");
            return 1;
        }
        var result = await ChainVerifier.VerifyAsync(records.ToAsyncEnumerable(), anchor: null, contiguous.Value, checkpoints, keys.GetValueOrDefault);
        await output.WriteLineAsync(result.Valid
            ? $"valid: {result.Checked} records and {result.CheckpointsChecked} checkpoints verified ({(contiguous.Value ? "contiguous chain" : "selection: each record checked on its own")})"
            : $"broken at seq {result.FirstInvalidSeq}: {result.Reason}");
        return result.Valid ? 0 : 1;
    }
}
