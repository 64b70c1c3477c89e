using System.Globalization;
using EtatMajor.Modules.Audit.Domain;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;

namespace EtatMajor.Modules.Audit.Features;

/// <summary>
/// A record as auditors read it: unaltered, as stored and hashed (`recipients` is the space-separated list of
/// organisation ids), with its hashes — so that it can be hashed again.
/// </summary>
internal sealed record AuditEventDto(
    long Seq, Guid Id, string OccurredAt, string? ClientId, string? OrganisationId, string? OrganisationKind, string? OnBehalfOf,
    string Action, string Operation, string? ResourceType, string? ResourceId, string? Recipients, string? Justification,
    string Outcome, int Status, string? RuleId, string? Route, string TraceId, long DurationMs, string PrevHash, string Hash)
{
    public static AuditEventDto From(AuditRecord r) => new(r.Seq, r.Id, r.OccurredAt, r.ClientId, r.OrganisationId, r.OrganisationKind,
        r.OnBehalfOf, r.Action, r.Operation, r.ResourceType, r.ResourceId, r.Recipients, r.Justification, r.Outcome,
        r.Status, r.RuleId, r.Route, r.TraceId, r.DurationMs, r.PrevHash, r.Hash);
}

/// <summary>The filters every auditor query shares (`from` inclusive, `to` exclusive).</summary>
internal sealed record EventFilter(
    DateTimeOffset? From, DateTimeOffset? To, string? ClientId, Guid? OrganisationId, string? OnBehalfOf, string? Action, string? Operation,
    string? Outcome, string? ResourceType, string? ResourceId, string? TraceId)
{
    private static readonly string[] Operations = ["collection", "modification", "consultation", "communication", "erasure", "authentication"];
    private static readonly string[] Outcomes = ["allowed", "denied", "failed"];

    public void Validate(ValidationErrors errors)
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
        foreach (var (field, value) in new[] { ("clientId", ClientId), ("onBehalfOf", OnBehalfOf), ("action", Action), ("resourceType", ResourceType), ("resourceId", ResourceId), ("traceId", TraceId) })
        {
            errors.MaxLength(field, value, 200);
        }
    }

    /// <summary>The filter as SQL parameters: instants and ids in the stored canonical text.</summary>
    public object Parameters(long after, int take) => new
    {
        From = From is { } from ? TypeHandlers.SqliteInstant(from) : null,
        To = To is { } to ? TypeHandlers.SqliteInstant(to) : null,
        ClientId, OrganisationId = OrganisationId?.ToString(), OnBehalfOf, Action, Operation, Outcome, ResourceType, ResourceId, TraceId,
        After = after, Take = take,
    };

    /// <summary>No filter at all.</summary>
    public static EventFilter None { get; } = new(null, null, null, null, null, null, null, null, null, null, null);

    public static DateTimeOffset? ParseInstant(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
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
        $"resource_id AS {nameof(AuditRecord.ResourceId)}, recipients AS {nameof(AuditRecord.Recipients)}, " +
        $"justification AS {nameof(AuditRecord.Justification)}, outcome AS {nameof(AuditRecord.Outcome)}, status AS {nameof(AuditRecord.Status)}, " +
        $"rule_id AS {nameof(AuditRecord.RuleId)}, route AS {nameof(AuditRecord.Route)}, trace_id AS {nameof(AuditRecord.TraceId)}, " +
        $"duration_ms AS {nameof(AuditRecord.DurationMs)}, prev_hash AS {nameof(AuditRecord.PrevHash)}, hash AS {nameof(AuditRecord.Hash)}";

    private const string Filtered =
        $"SELECT {Columns} FROM aud_events WHERE seq > @After " +
        "AND (@From IS NULL OR occurred_at >= @From) AND (@To IS NULL OR occurred_at < @To) " +
        "AND (@ClientId IS NULL OR client_id = @ClientId) AND (@OrganisationId IS NULL OR organisation_id = @OrganisationId) " +
        "AND (@OnBehalfOf IS NULL OR on_behalf_of = @OnBehalfOf) AND (@Action IS NULL OR action = @Action) " +
        "AND (@Operation IS NULL OR operation = @Operation) AND (@Outcome IS NULL OR outcome = @Outcome) " +
        "AND (@ResourceType IS NULL OR resource_type = @ResourceType) AND (@ResourceId IS NULL OR resource_id = @ResourceId) " +
        "AND (@TraceId IS NULL OR trace_id = @TraceId) ORDER BY seq";

    /// <summary>A page of the filtered log, in seq order.</summary>
    public const string Page = Filtered + " LIMIT @Take";

    /// <summary>Every record of the filter, in seq order (streamed).</summary>
    public const string All = Filtered;

    public const string Range = $"SELECT {Columns} FROM aud_events WHERE seq >= @FromSeq AND seq <= @ToSeq ORDER BY seq";
}

internal sealed record QueryEvents(EventFilter Filter, PageRequest Page) : IQuery<Page<AuditEventDto>>;

internal sealed class QueryEventsHandler(IDbSession db) : IRequestHandler<QueryEvents, Page<AuditEventDto>>
{
    public async Task<Page<AuditEventDto>> Handle(QueryEvents request, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync<AuditRecord>(EventSql.Page, request.Filter.Parameters(Keyset.Number(request.Page.After), request.Page.Take), cancellationToken);
        return request.Page.ToPage(rows.Select(AuditEventDto.From).ToList(), e => e.Seq.ToString(CultureInfo.InvariantCulture));
    }
}
