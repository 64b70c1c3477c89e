namespace EtatMajor.Modules.Governance.Features.DisableClient;

internal sealed record DisableClient(string ClientId) : ICommand<Unit>, INotADisclosure;

internal sealed class DisableClientHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock, EnabledClients known, UnitOfWork work)
    : IRequestHandler<DisableClient, Unit>
{
    public async Task<Unit> Handle(DisableClient request, CancellationToken cancellationToken)
    {
        var client = await db.QuerySingleOrDefaultAsync<ClientRow>(ClientSql.ById, new { request.ClientId }, cancellationToken)
            ?? throw new NotFoundException("No such client.");
        // The client found, in any case (SQL Server finds ids without regard to case).
        if (string.Equals(callers.Required.ClientId, client.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConflictException("A client cannot disable itself: use another administrator client.");
        }
        // Disabling twice is harmless: the first instant of disabling is kept. What the API remembers of enabled
        // clients is forgotten now and again once the disabling has committed (an answer read in between is stale).
        known.Forget();
        await db.ExecuteAsync(ClientSql.Disable, new { client.ClientId, DisabledAt = clock.Instant() }, cancellationToken);
        work.OnCommitted(known.Forget);
        return Unit.Value;
    }
}

internal static class DisableClientEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/clients/{clientId}/disable", async (string clientId, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new DisableClient(clientId), ct);
                return Results.NoContent();
            })
            .WithName("DisableClient")
            .Audit("client.disable", AuditOperation.Modification, "client", "clientId")
            .WithSummary("Disable a client: its tokens are refused from its very next request")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);
}
