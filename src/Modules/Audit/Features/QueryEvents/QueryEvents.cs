using System.Globalization;

namespace EtatMajor.Modules.Audit.Features.QueryEvents;

internal sealed record QueryEvents(EventQuery Query, int? Limit, string? Cursor) : IQuery<Page<AuditEventDto>>, INotADisclosure;

internal sealed class QueryEventsValidator : IValidator<QueryEvents>
{
    public void Validate(QueryEvents request, ValidationErrors errors)
    {
        var filter = EventFilter.Read(request.Query, errors);
        PageRequest.From(request.Limit, request.Cursor, errors, filter.HasPeriod ? PeriodCursor.IsValid : Keyset.IsNumber);
    }
}

/// <summary>
/// One page of the log at any depth of it (ten million records: docs/performance.md), by keyset, never OFFSET.
/// Without a period, the records come in seq order, and the first filter given of resource id, related resource id,
/// trace id, client, organisation, action, resource type and outcome is put as a plain equality before the others, so
/// that the page seeks its index `(column, seq)` from the cursor on. With a period, the records come in the order
/// they occurred (occurredAt, then seq) from the occurredAt index: the cursor is the instant and the seq of the last
/// record, and `from` is only its starting value, so that the one range on that index has both bounds (a second,
/// separate bound on the time column made the database scan). A period's pages stop at the oldest record still in flight
/// (<see cref="RecordsInFlight"/>): a record takes its seq when it commits, but the instant its request began.
/// </summary>
internal sealed class QueryEventsHandler(IDbSession db, RecordsInFlight inFlight, DatabaseOptions database, TimeProvider clock)
    : IRequestHandler<QueryEvents, Page<AuditEventDto>>
{
    internal static class Sql
    {
        private const string ColumnsWhere = $"{EventSql.Columns} FROM aud_events WHERE ";
        private const string InSeqOrder = $" AND seq > @After AND {EventSql.Residual} ORDER BY seq LIMIT @Take";

        public const string ByResourceId = "SELECT " + ColumnsWhere + "resource_id = @ResourceId" + InSeqOrder;
        public const string ByRelatedResourceId = "SELECT " + ColumnsWhere + "related_resource_id = @RelatedResourceId" + InSeqOrder;
        public const string ByTraceId = "SELECT " + ColumnsWhere + "trace_id = @TraceId" + InSeqOrder;
        public const string ByClientId = "SELECT " + ColumnsWhere + "client_id = @ClientId" + InSeqOrder;
        public const string ByOrganisationId = "SELECT " + ColumnsWhere + "organisation_id = @OrganisationId" + InSeqOrder;
        public const string ByAction = "SELECT " + ColumnsWhere + "action = @Action" + InSeqOrder;
        public const string ByResourceType = "SELECT " + ColumnsWhere + "resource_type = @ResourceType" + InSeqOrder;
        public const string ByOutcome = "SELECT " + ColumnsWhere + "outcome = @Outcome" + InSeqOrder;
        public const string All = "SELECT " + ColumnsWhere + "seq > @After AND " + EventSql.Residual + " ORDER BY seq LIMIT @Take";

        public const string ByPeriod = "SELECT " + ColumnsWhere + "occurred_at >= @AfterAt AND occurred_at < @ToAt AND (occurred_at > @AfterAt OR seq > @After) " +
            $"AND {EventSql.Residual} ORDER BY occurred_at, seq LIMIT @Take";
    }

    public async Task<Page<AuditEventDto>> Handle(QueryEvents request, CancellationToken cancellationToken)
    {
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var filter = EventFilter.Of(request.Query);
        if (filter.HasPeriod)
        {
            var (afterAt, after) = PeriodCursor.Read(page.After);
            var inPeriod = await db.QueryAsync<AuditRecord>(Sql.ByPeriod, filter.Parameters(after, page.Take, afterAt, SettledUpTo()), cancellationToken);
            return page.ToPage(inPeriod.Select(AuditEventDto.From).ToList(), PeriodCursor.Of);
        }
        var rows = await db.QueryAsync<AuditRecord>(Statement(filter), filter.Parameters(Keyset.Number(page.After), page.Take), cancellationToken);
        return page.ToPage(rows.Select(AuditEventDto.From).ToList(), e => e.Seq.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Up to when every record is readable: the oldest record this process has in flight (exact on SQLite, one process);
    /// on SQL Server, where other API instances write too, also a minute before now.
    /// </summary>
    private DateTimeOffset SettledUpTo()
    {
        var now = clock.Instant();
        var settled = inFlight.SettledUpTo(now);
        return database.Provider == DatabaseProvider.SqlServer && now.AddMinutes(-1) < settled ? now.AddMinutes(-1) : settled;
    }

    private static string Statement(EventFilter filter) => filter switch
    {
        { ResourceId: not null } => Sql.ByResourceId,
        { RelatedResourceId: not null } => Sql.ByRelatedResourceId,
        { TraceId: not null } => Sql.ByTraceId,
        { ClientId: not null } => Sql.ByClientId,
        { OrganisationId: not null } => Sql.ByOrganisationId,
        { Action: not null } => Sql.ByAction,
        { ResourceType: not null } => Sql.ByResourceType,
        { Outcome: not null } => Sql.ByOutcome,
        _ => Sql.All,
    };
}

/// <summary>The cursor of a page of a period: `occurredAt|seq` of its last record.</summary>
internal static class PeriodCursor
{
    public static string Of(AuditEventDto last) => $"{last.OccurredAt}|{last.Seq.ToString(CultureInfo.InvariantCulture)}";

    public static bool IsValid(string key) => Keyset.InstantText(key) is { At: not null, Id: { } seq } && Keyset.IsNumber(seq);

    public static (string? At, long Seq) Read(string? key) =>
        key is not null && IsValid(key) ? (TypeHandlers.SqliteInstant(Keyset.InstantText(key).At!.Value), Keyset.Number(Keyset.InstantText(key).Id)) : (null, 0);
}

internal static class QueryEventsEndpoint
{
    public const string FilterDescription =
        "Filters: from (inclusive) and to (exclusive) ISO-8601 instants, clientId, organisationId, onBehalfOf, action, " +
        "operation (collection, modification, consultation, communication, erasure, authentication), outcome (allowed, denied, failed), " +
        "resourceType, resourceId, relatedResourceId, traceId.";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit/events", ([AsParameters] EventQuery query, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new QueryEvents(query, limit, cursor), ct))
            .WithName("QueryAuditEvents")
            .WithSummary("Records of the access log, filtered, in seq order, or in the order they occurred for a period (cursor pagination, limit ≤ 500)")
            .WithDescription(FilterDescription)
            .Produces<Page<AuditEventDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Audit("audit.query", AuditOperation.Consultation, "audit-log", null)
            .AllowAuditors();
}
