namespace EtatMajor.Modules.Exchange.Features.ListExchanges;

internal sealed record ExchangeSummaryDto(
    Guid Id, string Subject, Guid SenderOrganisationId, string Direction, int AttachmentCount, Guid? ForwardedFromId, DateTimeOffset SentAt);

internal sealed record ListExchanges(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<ExchangeSummaryDto>>, INotADisclosure;

internal sealed class ListExchangesValidator : IValidator<ListExchanges>
{
    public void Validate(ListExchanges request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListExchangesHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock)
    : IRequestHandler<ListExchanges, Page<ExchangeSummaryDto>>
{
    internal static class Sql
    {
        /// <summary>The caller's exchanges in an instance, sent or received, newest first.</summary>
        public const string Page =
            $"SELECT {ExchangeRow.Columns}, (SELECT COUNT(*) FROM ex_attachments a WHERE a.exchange_id = e.id) AS {nameof(ExchangeRow.AttachmentCount)} " +
            "FROM ex_exchanges e WHERE e.instance_id = @InstanceId " +
            "AND (e.sender_organisation_id = @OrganisationId OR EXISTS (SELECT 1 FROM ex_recipients r WHERE r.exchange_id = e.id AND r.organisation_id = @OrganisationId)) " +
            "AND (@AfterAt IS NULL OR e.sent_at < @AfterAt OR (e.sent_at = @AfterAt AND e.id < @AfterId)) " +
            "ORDER BY e.sent_at DESC, e.id DESC LIMIT @Take";
    }

    public async Task<Page<ExchangeSummaryDto>> Handle(ListExchanges request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        if (!await ExchangeAccess.IsMemberAsync(mediator, request.InstanceId, caller.OrganisationId, clock, cancellationToken))
        {
            throw new NotFoundException("No such instance.");
        }
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<ExchangeRow>(Sql.Page,
            new { request.InstanceId, caller.OrganisationId, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => new ExchangeSummaryDto(r.Id, r.Subject, r.SenderOrganisationId,
            r.SenderOrganisationId == caller.OrganisationId ? "sent" : "received", r.AttachmentCount, r.ForwardedFromId, r.SentAt)).ToList(),
            e => Keyset.Of(e.SentAt, e.Id));
    }
}

internal static class ListExchangesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/exchanges", (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListExchanges(id, limit, cursor), ct))
            .WithName("ListExchanges")
            .Audit("exchange.list", AuditOperation.Consultation, "instance")
            .PersonalData().RequireJustification()
            .WithSummary("The caller's exchanges in an instance, sent or received, newest first (cursor pagination)")
            .Produces<Page<ExchangeSummaryDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Exchange);
}
