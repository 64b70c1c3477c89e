using EtatMajor.Modules.Exchange.Features.ReleaseExchange;

namespace EtatMajor.Modules.Exchange.Features.RejectExchange;

internal sealed record RejectBody(string? Reason);

/// <summary>CONF-2: the procureur rejects a held exchange; its recipients never see it, its sender sees the reason.</summary>
internal sealed record RejectExchange(Guid ExchangeId, string? Reason) : ICommand<ExchangeDto>, INotADisclosure;

internal sealed class RejectExchangeValidator : IValidator<RejectExchange>
{
    public const int MaxReason = 1000;

    public void Validate(RejectExchange request, ValidationErrors errors) => errors.Required("reason", request.Reason, MaxReason);
}

internal sealed class RejectExchangeHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RejectExchange, ExchangeDto>
{
    internal static class Sql
    {
        public const string Reject =
            "UPDATE ex_exchanges SET status = 'rejected', reviewed_by_organisation_id = @ReviewedBy, reviewed_at = @ReviewedAt, rejection_reason = @Reason " +
            "WHERE id = @Id AND status = 'held-for-review'";
    }

    public async Task<ExchangeDto> Handle(RejectExchange request, CancellationToken cancellationToken)
    {
        var held = await mediator.Send(new GetReviewable(request.ExchangeId), cancellationToken);
        var reviewer = callers.Required.OrganisationId;
        if (await db.ExecuteAsync(Sql.Reject, new { Id = held.ExchangeId, ReviewedBy = reviewer, ReviewedAt = clock.Instant(), Reason = request.Reason!.Trim() },
                cancellationToken) != 1)
        {
            throw new ConflictException("This exchange was reviewed meanwhile.");
        }
        var row = (await db.QuerySingleOrDefaultAsync<ExchangeRow>(ExchangeSql.One, new { Id = held.ExchangeId }, cancellationToken))!;
        return await ExchangeAccess.ToDtoAsync(db, row, reviewer, cancellationToken);
    }
}

internal static class RejectExchangeEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/exchanges/{eid:guid}/reject", (Guid eid, RejectBody body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new RejectExchange(eid, body.Reason), ct))
            .WithName("RejectExchange")
            .Audit("exchange.reject", AuditOperation.Modification, "exchange", "eid")
            .StoresPersonalData().RequireJustification()
            .WithSummary("A procureur co-chairing the instance rejects a held exchange, with a reason its sender reads; its recipients never see it (CONF-2)")
            .Produces<ExchangeDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Allow(Scopes.Exchange, OrganisationKind.Procureur);
}
