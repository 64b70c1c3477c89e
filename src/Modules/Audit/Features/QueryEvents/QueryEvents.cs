namespace EtatMajor.Modules.Audit.Features.QueryEvents;

internal sealed record QueryEvents(EventQuery Query, int? Limit, string? Cursor) : IQuery<Page<AuditEventDto>>, INotADisclosure;

internal sealed class QueryEventsValidator : IValidator<QueryEvents>
{
    public void Validate(QueryEvents request, ValidationErrors errors)
    {
        EventFilter.Read(request.Query, errors);
        PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsNumber);
    }
}

internal sealed class QueryEventsHandler(IDbSession db) : IRequestHandler<QueryEvents, Page<AuditEventDto>>
{
    internal static class Sql
    {
        public const string Page = EventSql.Filtered + " LIMIT @Take";
    }

    public async Task<Page<AuditEventDto>> Handle(QueryEvents request, CancellationToken cancellationToken)
    {
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var rows = await db.QueryAsync<AuditRecord>(Sql.Page, EventFilter.Of(request.Query).Parameters(Keyset.Number(page.After), page.Take), cancellationToken);
        return page.ToPage(rows.Select(AuditEventDto.From).ToList(), e => e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
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
            .WithSummary("Records of the access log, filtered, in seq order (cursor pagination, limit ≤ 500)")
            .WithDescription(FilterDescription)
            .Produces<Page<AuditEventDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Audit("audit.query", AuditOperation.Consultation, "audit-log", null)
            .AllowAuditors();
}
