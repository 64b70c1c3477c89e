namespace EtatMajor.Modules.Exchange.Features.ReleaseExchange;

/// <summary>
/// A held exchange as its reviewer finds it: readable by the caller (a procureur co-chair, or its sender — who may
/// not review it), still held.
/// </summary>
internal sealed record GetReviewable(Guid ExchangeId) : IQuery<Reviewable>, INotADisclosure;

internal sealed record Reviewable(Guid ExchangeId, Guid InstanceId, Guid SenderOrganisationId, IReadOnlyList<Guid> Recipients, DisclosureSubject? About = null);

internal sealed class GetReviewableHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetReviewable, Reviewable>
{
    public async Task<Reviewable> Handle(GetReviewable request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var row = await ExchangeAccess.ReadableAsync(db, mediator, caller, request.ExchangeId, clock, cancellationToken);
        if (!ExchangeAccess.IsReviewer(await ExchangeAccess.MembershipAsync(mediator, row.InstanceId, caller.OrganisationId, clock, cancellationToken)))
        {
            throw new ForbiddenException("A held exchange is reviewed by a procureur co-chairing the instance.") { Rule = LegalRules.Conf2 };
        }
        if (row.StatusValue != ExchangeStatus.HeldForReview)
        {
            throw new ConflictException($"This exchange is {row.Status}: only a held exchange is released or rejected.");
        }
        return new Reviewable(row.Id, row.InstanceId, row.SenderOrganisationId, ExchangeAccess.InRecipientOrder(await db.QueryAsync<Guid>(ExchangeSql.Recipients, new { row.Id }, cancellationToken)),
            row.About);
    }
}

/// <summary>
/// CONF-2: the procureur, having read it, releases a held exchange to its recipients. It is a disclosure by the
/// original sender, decided again now on CONF-1, 3 and 4 (a recipient removed meanwhile is a third party); its
/// content was reviewed by a person, so it is not read again.
/// </summary>
internal sealed record ReleaseExchange(Reviewable Held) : ICommand<ExchangeDto>, IDisclosure
{
    public string Kind => DisclosureKinds.Release;

    public Guid InstanceId => Held.InstanceId;

    public DisclosureSubject? Subject => Held.About;

    public IReadOnlyCollection<Guid> RecipientOrganisationIds => Held.Recipients;

    public DisclosedContent Content { get; } = new([], []);

    public Guid? DisclosedBy => Held.SenderOrganisationId;
}

internal sealed class ReleaseExchangeHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<ReleaseExchange, ExchangeDto>
{
    internal static class Sql
    {
        public const string Release =
            "UPDATE ex_exchanges SET status = 'delivered', reviewed_by_organisation_id = @ReviewedBy, reviewed_at = @ReviewedAt " +
            "WHERE id = @Id AND status = 'held-for-review'";
    }

    public async Task<ExchangeDto> Handle(ReleaseExchange request, CancellationToken cancellationToken)
    {
        var reviewer = callers.Required.OrganisationId;
        if (await db.ExecuteAsync(Sql.Release, new { Id = request.Held.ExchangeId, ReviewedBy = reviewer, ReviewedAt = clock.Instant() }, cancellationToken) != 1)
        {
            throw new ConflictException("This exchange was reviewed meanwhile.");
        }
        var row = (await db.QuerySingleOrDefaultAsync<ExchangeRow>(ExchangeSql.One, new { Id = request.Held.ExchangeId }, cancellationToken))!;
        return await ExchangeAccess.ToDtoAsync(db, row, reviewer, cancellationToken);
    }
}

internal static class ReleaseExchangeEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/exchanges/{eid:guid}/release", async (Guid eid, IMediator mediator, CancellationToken ct) =>
                await mediator.Send(new ReleaseExchange(await mediator.Send(new GetReviewable(eid), ct)), ct))
            .WithName("ReleaseExchange")
            .Audit("exchange.release", AuditOperation.Communication, "exchange", "eid")
            .StoresPersonalData().RequireJustification()
            .WithSummary("A procureur co-chairing the instance releases a held exchange to its recipients; CONF-1, 3 and 4 are decided again (CONF-2)")
            .Produces<ExchangeDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .Allow(Scopes.Exchange, OrganisationKind.Procureur);
}
