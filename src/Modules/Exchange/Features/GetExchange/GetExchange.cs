namespace EtatMajor.Modules.Exchange.Features.GetExchange;

internal sealed record GetExchange(Guid ExchangeId) : IQuery<ExchangeDto>, INotADisclosure;

internal sealed class GetExchangeHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetExchange, ExchangeDto>
{
    public async Task<ExchangeDto> Handle(GetExchange request, CancellationToken cancellationToken) =>
        await ExchangeAccess.ToDtoAsync(db, await ExchangeAccess.ReadableAsync(db, mediator, callers.Required, request.ExchangeId, clock, cancellationToken),
            callers.Required.OrganisationId, cancellationToken);
}

internal static class GetExchangeEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/exchanges/{eid:guid}", (Guid eid, IMediator mediator, CancellationToken ct) => mediator.Send(new GetExchange(eid), ct))
            .WithName("GetExchange")
            .Audit("exchange.read", AuditOperation.Consultation, "exchange", "eid")
            .PersonalData().RequireJustification()
            .WithSummary("One exchange: delivered, for its sender and recipients; held or rejected, for its sender and the procureurs who review it — while current members (404 for anyone else)")
            .Produces<ExchangeDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Exchange);
}
