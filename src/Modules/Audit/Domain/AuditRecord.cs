using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// One entry of the access log: who, when, what (references only, never content), to whom, why, and how
/// it ended. `Hash = SHA-256(previous hash bytes || canonical bytes)`; the canonical bytes are the JSON
/// object written by <see cref="Canonical"/> (fixed member order, no whitespace).
/// </summary>
internal sealed class AuditRecord
{
    public long Seq { get; set; }
    public Guid Id { get; set; }
    public string OccurredAt { get; set; } = "";
    public string? ClientId { get; set; }
    public string? OrganisationId { get; set; }
    public string? OrganisationKind { get; set; }
    public string? OnBehalfOf { get; set; }
    public string Action { get; set; } = "";
    public string Operation { get; set; } = "";
    public string? ResourceType { get; set; }
    public string? ResourceId { get; set; }

    /// <summary>What the resource relates to (a forward: the original exchange). Absent from the canonical form when null, so that records written before it existed keep their hash.</summary>
    public string? RelatedResourceId { get; set; }
    public string? Recipients { get; set; }
    public string? Justification { get; set; }
    public string Outcome { get; set; } = "";
    public int Status { get; set; }
    public string? RuleId { get; set; }
    public string? Route { get; set; }
    public string TraceId { get; set; } = "";
    public long DurationMs { get; set; }
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";

    public byte[] Canonical() => WriteCanonical().WrittenSpan.ToArray();

    public string ComputeHash() => Chain.Hash(PrevHash, WriteCanonical().WrittenSpan);

    // One buffer and one writer per thread, reused: the integrity check, the export and the verifier hash millions of
    // records, and a buffer, a writer and two arrays per record were a third of their time (docs/performance.md).
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    /// <summary>The canonical bytes, in this thread's buffer: valid until the next call on the same thread.</summary>
    private ArrayBufferWriter<byte> WriteCanonical()
    {
        buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }
        var json = writer;
        {
            json.WriteStartObject();
            json.WriteNumber("seq", Seq);
            json.WriteString("id", Id.ToString("D"));
            json.WriteString("occurredAt", OccurredAt);
            WriteNullable(json, "clientId", ClientId);
            WriteNullable(json, "organisationId", OrganisationId);
            WriteNullable(json, "organisationKind", OrganisationKind);
            WriteNullable(json, "onBehalfOf", OnBehalfOf);
            json.WriteString("action", Action);
            json.WriteString("operation", Operation);
            WriteNullable(json, "resourceType", ResourceType);
            WriteNullable(json, "resourceId", ResourceId);
            if (RelatedResourceId is not null)
            {
                json.WriteString("relatedResourceId", RelatedResourceId);
            }
            WriteNullable(json, "recipients", Recipients);
            WriteNullable(json, "justification", Justification);
            json.WriteString("outcome", Outcome);
            json.WriteNumber("status", Status);
            WriteNullable(json, "ruleId", RuleId);
            WriteNullable(json, "route", Route);
            json.WriteString("traceId", TraceId);
            json.WriteNumber("durationMs", DurationMs);
            json.WriteEndObject();
        }
        json.Flush();
        return buffer;
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}

internal static class Chain
{
    /// <summary>The previous hash of the very first record.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>A SHA-256 hash as the log writes it: 64 lower-case hexadecimal characters.</summary>
    public static bool IsHash(string? value) => value is { Length: 64 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>The hash of a record: SHA-256(previous hash bytes || canonical bytes), in lower-case hexadecimal.</summary>
    public static string Hash(string previousHash, ReadOnlySpan<byte> canonical)
    {
        // previous hash bytes || canonical bytes, without an array of either. A previous hash that is not one throws, as
        // a corrupted head must stop every append; the verifier checks the form of a record's hashes before (IsHash).
        Span<byte> previous = stackalloc byte[32];
        if (!IsHash(previousHash) || Convert.FromHexString(previousHash, previous, out _, out _) != OperationStatus.Done)
        {
            throw new FormatException("The previous hash is not a SHA-256 hash in hexadecimal.");
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previous);
        sha.AppendData(canonical);
        Span<byte> hash = stackalloc byte[32];
        sha.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }
}

/// <summary>Records of what the system does by itself (checkpoints, retention, the modules' jobs), with no client behind it.</summary>
internal static class AuditRecords
{
    public static AuditRecord System(SystemRecord record, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(),
        OccurredAt = TypeHandlers.SqliteInstant(at),
        ClientId = record.Actor ?? "system",
        Action = record.Action,
        Operation = record.Operation.ToKebab(),
        ResourceType = record.ResourceType,
        ResourceId = record.ResourceId,
        RelatedResourceId = record.RelatedResourceId,
        Outcome = "allowed",
        Status = 200,
        TraceId = global::System.Diagnostics.Activity.Current?.Id ?? Guid.NewGuid().ToString("N"),
    };
}
