using System.Globalization;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// A record as auditors read it: unaltered, as stored and hashed (`recipients` is the space-separated list of
/// organisation ids), with its hashes — so that it can be hashed again.
/// </summary>
internal sealed record AuditEventDto(
    long Seq, Guid Id, string OccurredAt, string? ClientId, string? OrganisationId, string? OrganisationKind, string? OnBehalfOf,
    string Action, string Operation, string? ResourceType, string? ResourceId, string? RelatedResourceId, string? Recipients, string? Justification,
    string Outcome, int Status, string? RuleId, string? Route, string TraceId, long DurationMs, string PrevHash, string Hash)
{
    public static AuditEventDto From(AuditRecord r) => new(r.Seq, r.Id, r.OccurredAt, r.ClientId, r.OrganisationId, r.OrganisationKind,
        r.OnBehalfOf, r.Action, r.Operation, r.ResourceType, r.ResourceId, r.RelatedResourceId, r.Recipients, r.Justification, r.Outcome,
        r.Status, r.RuleId, r.Route, r.TraceId, r.DurationMs, r.PrevHash, r.Hash);
}

/// <summary>The filters of an auditor's query, as the query string gives them (`from` inclusive, `to` exclusive).</summary>
internal sealed record EventQuery(
    string? From, string? To, string? ClientId, string? OrganisationId, string? OnBehalfOf, string? Action, string? Operation, string? Outcome,
    string? ResourceType, string? ResourceId, string? RelatedResourceId, string? TraceId);

/// <summary>The filters every auditor query shares, read and checked.</summary>
internal sealed record EventFilter(
    DateTimeOffset? From, DateTimeOffset? To, string? ClientId, Guid? OrganisationId, string? OnBehalfOf, string? Action, string? Operation,
    string? Outcome, string? ResourceType, string? ResourceId, string? RelatedResourceId, string? TraceId)
{
    private static readonly string[] Operations = ["collection", "modification", "consultation", "communication", "erasure", "authentication"];
    private static readonly string[] Outcomes = ["allowed", "denied", "failed"];

    /// <summary>No filter at all.</summary>
    public static EventFilter None { get; } = new(null, null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>The filter of a query, with an error per faulty field (the validators run it; handlers read the result).</summary>
    public static EventFilter Read(EventQuery query, ValidationErrors errors)
    {
        Guid? organisationId = null;
        if (Blank(query.OrganisationId) is { } org)
        {
            if (Guid.TryParse(org, out var parsed))
            {
                organisationId = parsed;
            }
            else
            {
                errors.Add("organisationId", "must be a GUID");
            }
        }
        var filter = new EventFilter(ParseInstant(Blank(query.From), "from", errors), ParseInstant(Blank(query.To), "to", errors),
            Blank(query.ClientId), organisationId, Blank(query.OnBehalfOf), Blank(query.Action), Blank(query.Operation), Blank(query.Outcome),
            Blank(query.ResourceType), Blank(query.ResourceId), Blank(query.RelatedResourceId), Blank(query.TraceId));
        filter.Validate(errors);
        return filter;
    }

    /// <summary>The filter of a query its validator already checked.</summary>
    public static EventFilter Of(EventQuery query) => Read(query, new ValidationErrors());

    private void Validate(ValidationErrors errors)
    {
        if (From is not null && To is not null && From >= To)
        {
            errors.Add("to", "must be after from");
        }
        if (Operation is not null && !Operations.Contains(Operation))
        {
            errors.Add("operation", $"one of: {string.Join(' ', Operations)}");
        }
        if (Outcome is not null && !Outcomes.Contains(Outcome))
        {
            errors.Add("outcome", $"one of: {string.Join(' ', Outcomes)}");
        }
        foreach (var (field, value) in new[]
                 {
                     ("clientId", ClientId), ("onBehalfOf", OnBehalfOf), ("action", Action), ("resourceType", ResourceType), ("resourceId", ResourceId),
                     ("relatedResourceId", RelatedResourceId), ("traceId", TraceId),
                 })
        {
            errors.MaxLength(field, value, 200);
        }
    }

    /// <summary>
    /// The filter as SQL parameters: instants and ids in the stored canonical text. A page of a period has for cursor
    /// the instant and the seq of its last record (<paramref name="afterAt"/>; none: from `from`), and stops after
    /// <paramref name="settledUpTo"/> (see <see cref="RecordsInFlight"/>).
    /// </summary>
    public object Parameters(long after, int take, string? afterAt = null, DateTimeOffset? settledUpTo = null) => new
    {
        From = From is { } from ? TypeHandlers.SqliteInstant(from) : null,
        To = To is { } to ? TypeHandlers.SqliteInstant(to) : null,
        ClientId, OrganisationId = OrganisationId?.ToString(), OnBehalfOf, Action, Operation, Outcome, ResourceType, ResourceId, RelatedResourceId,
        TraceId, After = after, Take = take,
        AfterAt = afterAt ?? (From is { } start ? TypeHandlers.SqliteInstant(start) : ""),
        // Past any stored instant: the period's upper bound is a bound of the same index range as the cursor.
        ToAt = (To, settledUpTo?.AddMilliseconds(1)) switch
        {
            ({ } end, { } settled) => TypeHandlers.SqliteInstant(end < settled ? end : settled),
            ({ } end, null) => TypeHandlers.SqliteInstant(end),
            (null, { } settled) => TypeHandlers.SqliteInstant(settled),
            _ => "9999",
        },
    };

    /// <summary>A period bounds the query (`from`, `to` or both).</summary>
    public bool HasPeriod => From is not null || To is not null;

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private const int MaxInstantLength = 40;

    private static DateTimeOffset? ParseInstant(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length > MaxInstantLength)
        {
            // No instant is that long: said before parsing, and stated in the contract.
            errors.Add(field, $"at most {MaxInstantLength} characters: an ISO-8601 instant, such as 2026-03-14T00:00:00Z");
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }
        errors.Add(field, "must be an ISO-8601 instant, such as 2026-03-14T00:00:00Z");
        return null;
    }
}

internal static class EventSql
{
    public const string Columns =
        $"seq AS {nameof(AuditRecord.Seq)}, id AS {nameof(AuditRecord.Id)}, occurred_at AS {nameof(AuditRecord.OccurredAt)}, " +
        $"client_id AS {nameof(AuditRecord.ClientId)}, organisation_id AS {nameof(AuditRecord.OrganisationId)}, " +
        $"organisation_kind AS {nameof(AuditRecord.OrganisationKind)}, on_behalf_of AS {nameof(AuditRecord.OnBehalfOf)}, " +
        $"action AS {nameof(AuditRecord.Action)}, operation AS {nameof(AuditRecord.Operation)}, resource_type AS {nameof(AuditRecord.ResourceType)}, " +
        $"resource_id AS {nameof(AuditRecord.ResourceId)}, related_resource_id AS {nameof(AuditRecord.RelatedResourceId)}, recipients AS {nameof(AuditRecord.Recipients)}, " +
        $"justification AS {nameof(AuditRecord.Justification)}, outcome AS {nameof(AuditRecord.Outcome)}, status AS {nameof(AuditRecord.Status)}, " +
        $"rule_id AS {nameof(AuditRecord.RuleId)}, route AS {nameof(AuditRecord.Route)}, trace_id AS {nameof(AuditRecord.TraceId)}, " +
        $"duration_ms AS {nameof(AuditRecord.DurationMs)}, prev_hash AS {nameof(AuditRecord.PrevHash)}, hash AS {nameof(AuditRecord.Hash)}";

    /// <summary>
    /// Every filter, each true when it is not given. Alone it cannot use an index (the database cannot know which
    /// parameters are null): a page puts one filter before it as a plain equality, which seeks its index (see QueryEvents).
    /// </summary>
    public const string Residual =
        "(@From IS NULL OR occurred_at >= @From) AND (@To IS NULL OR occurred_at < @To) " +
        "AND (@ClientId IS NULL OR client_id = @ClientId) AND (@OrganisationId IS NULL OR organisation_id = @OrganisationId) " +
        "AND (@OnBehalfOf IS NULL OR on_behalf_of = @OnBehalfOf) AND (@Action IS NULL OR action = @Action) " +
        "AND (@Operation IS NULL OR operation = @Operation) AND (@Outcome IS NULL OR outcome = @Outcome) " +
        "AND (@ResourceType IS NULL OR resource_type = @ResourceType) AND (@ResourceId IS NULL OR resource_id = @ResourceId) " +
        "AND (@RelatedResourceId IS NULL OR related_resource_id = @RelatedResourceId) " +
        "AND (@TraceId IS NULL OR trace_id = @TraceId)";

    /// <summary>Every record of the filter, in seq order (a filtered export: read once, to the end).</summary>
    public const string Filtered = $"SELECT {Columns} FROM aud_events WHERE seq > @After AND {Residual} ORDER BY seq";

    public const string Range = $"SELECT {Columns} FROM aud_events WHERE seq >= @FromSeq AND seq <= @ToSeq ORDER BY seq";
}

internal static class CheckpointSql
{
    public const string Columns = Checkpoints.Sql.CheckpointColumns;
    public const string Covering = $"SELECT {Columns} FROM aud_checkpoints WHERE to_seq >= @FromSeq - 1 AND to_seq <= @ToSeq ORDER BY number";
    public const string KeyColumns =
        $"SELECT key_id AS {nameof(KeyDto.KeyId)}, algorithm AS {nameof(KeyDto.Algorithm)}, public_key_pem AS {nameof(KeyDto.PublicKeyPem)}, " +
        $"first_used_at AS {nameof(KeyDto.FirstUsedAt)} FROM aud_keys";
    public const string HashAt = "SELECT hash FROM aud_events WHERE seq = @Seq";
}

internal sealed class KeyDto
{
    public string KeyId { get; init; } = "";
    public string Algorithm { get; init; } = "";
    public string PublicKeyPem { get; init; } = "";
    public DateTimeOffset FirstUsedAt { get; init; }
}

internal sealed class SeqBounds
{
    public long? First { get; init; }
    public long? Last { get; init; }
}

/// <summary>What the first record of a range must chain to, and whether a purge accounts for the records before it.</summary>
internal static class Anchors
{
    internal static class Sql
    {
        // Checkpoints without records in between share a to_seq: the latest permit speaks for them.
        public const string Permit = $"SELECT {PurgePermit.Columns} FROM aud_purges WHERE up_to_seq = @Seq ORDER BY checkpoint_number DESC LIMIT @Take";
        public const string CheckpointOf = $"SELECT {CheckpointSql.Columns} FROM aud_checkpoints WHERE number = @Number";
    }

    /// <summary>
    /// The hash the record at <paramref name="seq"/> must chain to: genesis, the stored previous record, or the head
    /// signed by the checkpoint a purge stopped at — only when that purge's permit holds (<see cref="PurgePermit.Fault"/>).
    /// Null anchor and null fault: the records before are missing and no purge names them.
    /// </summary>
    public static async Task<(string? Anchor, string? Fault)> BeforeAsync(IDbSession db, long seq, Func<string, string?> publicKeyPem, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (seq <= 1)
        {
            return (Chain.Genesis, null);
        }
        if (await db.QuerySingleOrDefaultAsync<string>(CheckpointSql.HashAt, new { Seq = seq - 1 }, cancellationToken) is { } previous)
        {
            return (previous, null);
        }
        var permit = (await db.QueryAsync<PurgePermit>(Sql.Permit, new { Seq = seq - 1, Take = 1 }, cancellationToken)).FirstOrDefault();
        if (permit is null)
        {
            return (null, null);
        }
        var checkpoint = await db.QuerySingleOrDefaultAsync<Checkpoint>(Sql.CheckpointOf, new { Number = permit.CheckpointNumber }, cancellationToken);
        return permit.Fault(checkpoint, publicKeyPem, now) is { } fault ? (null, fault) : (checkpoint!.HeadHash, null);
    }
}

internal static class AuditorsOnly
{
    /// <summary>LOG-2: the auditors' API is for scope `audit` and organisation kind `auditeur` only; every use is itself logged.</summary>
    public static TBuilder AllowAuditors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.Audit, OrganisationKind.Auditeur);
}
