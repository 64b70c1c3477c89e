using System.Text;
using System.Text.Json;
using EtatMajor.Modules.Audit.Domain;

namespace EtatMajor.Modules.Audit.Features;

/// <summary>
/// The export formats. NDJSON (verifiable offline): a header line, one line per record (its canonical
/// members, then prevHash and hash), one line per covering checkpoint, and an end line with the counts.
/// CSV: one row per record or checkpoint, the first column saying which.
/// </summary>
internal static class ExportFormat
{
    public const string Version = "etatmajor-audit-export/1";

    public static string HeaderLine(bool contiguous, string exportedAt) => Line(json =>
    {
        json.WriteString("type", "export");
        json.WriteString("format", Version);
        json.WriteBoolean("contiguous", contiguous);
        json.WriteString("exportedAt", exportedAt);
    });

    public static string EventLine(AuditRecord record)
    {
        var canonical = Encoding.UTF8.GetString(record.Canonical());
        // {"type":"event",<canonical members>,"prevHash":…,"hash":…}
        return "{\"type\":\"event\"," + canonical[1..^1] + ",\"prevHash\":\"" + record.PrevHash + "\",\"hash\":\"" + record.Hash + "\"}";
    }

    public static string CheckpointLine(Checkpoint checkpoint)
    {
        var canonical = Encoding.UTF8.GetString(checkpoint.Canonical());
        return "{\"type\":\"checkpoint\"," + canonical[1..^1] + ",\"signature\":\"" + checkpoint.Signature + "\"}";
    }

    public static string EndLine(long records, long checkpoints) => Line(json =>
    {
        json.WriteString("type", "end");
        json.WriteNumber("records", records);
        json.WriteNumber("checkpoints", checkpoints);
    });

    public const string CsvHeader =
        "type,seq,id,occurredAt,clientId,organisationId,organisationKind,onBehalfOf,action,operation,resourceType,resourceId,recipients," +
        "justification,outcome,status,ruleId,route,traceId,durationMs,prevHash,hash,number,fromSeq,toSeq,count,headHash,createdAt,previousSignature,keyId,signature";

    public static string CsvEvent(AuditRecord r) => string.Join(',', new object?[]
    {
        "event", r.Seq, r.Id, r.OccurredAt, r.ClientId, r.OrganisationId, r.OrganisationKind, r.OnBehalfOf, r.Action, r.Operation, r.ResourceType,
        r.ResourceId, r.Recipients, r.Justification, r.Outcome, r.Status, r.RuleId, r.Route, r.TraceId, r.DurationMs, r.PrevHash, r.Hash,
        null, null, null, null, null, null, null, null, null,
    }.Select(Csv));

    public static string CsvCheckpoint(Checkpoint c) => string.Join(',', new object?[]
    {
        "checkpoint", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        c.Number, c.FromSeq, c.ToSeq, c.Count, c.HeadHash, c.CreatedAt, c.PreviousSignature, c.KeyId, c.Signature,
    }.Select(Csv));

    private static string Csv(object? value)
    {
        var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static string Line(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
