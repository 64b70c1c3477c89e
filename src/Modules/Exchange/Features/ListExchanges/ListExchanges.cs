namespace EtatMajor.Modules.Exchange.Features.ListExchanges;

/// <summary>
/// `Direction`: `sent`, `received`, `to-review` (a held or rejected exchange, for the procureurs of the instance) or
/// `reviewed` (released by the caller).
/// </summary>
internal sealed record ExchangeSummaryDto(
    Guid Id, string Subject, Guid SenderOrganisationId, string Direction, ExchangeStatus Status, int AttachmentCount, Guid? ForwardedFromId, DateTimeOffset SentAt);

internal sealed record ListExchanges(Guid InstanceId, string? Status, int? Limit, string? Cursor) : IQuery<Page<ExchangeSummaryDto>>, INotADisclosure
{
    public ExchangeStatus? StatusValue => Kebab.TryParse<ExchangeStatus>(Status, out var status) ? status : null;
}

internal sealed class ListExchangesValidator : IValidator<ListExchanges>
{
    public void Validate(ListExchanges request, ValidationErrors errors)
    {
        PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
        if (request.Status is not null && request.StatusValue is null or ExchangeStatus.Erased)
        {
            errors.Add("status", "delivered, held-for-review or rejected (an erased exchange is read by no one)");
        }
    }
}

internal sealed class ListExchangesHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock)
    : IRequestHandler<ListExchanges, Page<ExchangeSummaryDto>>
{
    internal static class Sql
    {
        /// <summary>
        /// What the caller may read in an instance (the rule of <see cref="ExchangeAccess"/>), newest first: what it sent,
        /// what it received once delivered, and, for a procureur co-chairing it, what is held or rejected.
        /// </summary>
        public const string Page =
            $"SELECT {ExchangeRow.Columns}, (SELECT COUNT(*) FROM ex_attachments a WHERE a.exchange_id = e.id) AS {nameof(ExchangeRow.AttachmentCount)} " +
            "FROM ex_exchanges e WHERE e.instance_id = @InstanceId AND e.status <> 'erased' AND (@Status IS NULL OR e.status = @Status) " +
            "AND (e.sender_organisation_id = @OrganisationId OR e.reviewed_by_organisation_id = @OrganisationId " +
            "OR (e.status = 'delivered' AND EXISTS (SELECT 1 FROM ex_recipients r WHERE r.exchange_id = e.id AND r.organisation_id = @OrganisationId)) " +
            "OR (@Reviewer = 1 AND e.status IN ('held-for-review', 'rejected'))) " +
            "AND (@AfterAt IS NULL OR e.sent_at < @AfterAt OR (e.sent_at = @AfterAt AND e.id < @AfterId)) " +
            "ORDER BY e.sent_at DESC, e.id DESC LIMIT @Take";
    }

    public async Task<Page<ExchangeSummaryDto>> Handle(ListExchanges request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var membership = await ExchangeAccess.MembershipAsync(mediator, request.InstanceId, caller.OrganisationId, clock, cancellationToken);
        if (membership?.IsMember != true)
        {
            throw new NotFoundException("No such instance.");
        }
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<ExchangeRow>(Sql.Page, new
        {
            request.InstanceId, caller.OrganisationId, Status = request.StatusValue?.ToKebab(), Reviewer = ExchangeAccess.IsReviewer(membership),
            AfterAt = afterAt, AfterId = afterId, page.Take,
        }, cancellationToken);
        // An exchange about a designated person is listed only while the caller is in its circle (CONF-1): a removed
        // service no longer sees what it received.
        var outside = new HashSet<Guid>();
        foreach (var designation in rows.Where(r => r.About is not null).Select(r => r.About!).Distinct())
        {
            var audience = await mediator.Send(new GetSubjectAudience(request.InstanceId, designation, clock.GetUtcNow()), cancellationToken);
            if (audience?.Contains(caller.OrganisationId) != true)
            {
                outside.Add(designation.Id);
            }
        }
        var listed = page.ToPage(rows.Select(r => new ExchangeSummaryDto(r.Id, r.Subject, r.SenderOrganisationId,
                r.SenderOrganisationId == caller.OrganisationId ? "sent"
                : r.StatusValue != ExchangeStatus.Delivered ? "to-review"
                : r.ReviewedByOrganisationId == caller.OrganisationId ? "reviewed" : "received",
                r.StatusValue, r.AttachmentCount, r.ForwardedFromId, r.SentAt)).ToList(),
            e => Keyset.Of(e.SentAt, e.Id));
        // The cursor follows the rows read, the filter only what is shown: a page may be shorter, never the last too early.
        return listed with { Items = listed.Items.Where((_, i) => rows[i].DesignationId is not { } d || !outside.Contains(d)).ToList() };
    }
}

internal static class ListExchangesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/exchanges", (Guid id, string? status, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListExchanges(id, status, limit, cursor), ct))
            .WithName("ListExchanges")
            .Audit("exchange.list", AuditOperation.Consultation, "instance")
            .PersonalData().RequireJustification()
            .WithSummary("The caller's exchanges in an instance, newest first: sent, received, and for a procureur co-chair those held for review (status=held-for-review; cursor pagination)")
            .Produces<Page<ExchangeSummaryDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Exchange);
}
