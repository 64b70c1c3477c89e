namespace EtatMajor.Modules.Governance.Features.EnableClient;

/// <summary>
/// A disabled client enabled again. The tokens it obtained before are still refused, read as the protective choice:
/// they were issued before it was stopped, and whoever held them then need not hold them now; it asks for new ones.
/// </summary>
internal sealed record EnableClient(string ClientId) : ICommand<Unit>, INotADisclosure;

internal sealed class EnableClientHandler(IDbSession db, EnabledClients known, UnitOfWork work) : IRequestHandler<EnableClient, Unit>
{
    public async Task<Unit> Handle(EnableClient request, CancellationToken cancellationToken)
    {
        if (await db.QuerySingleOrDefaultAsync<ClientRow>(ClientSql.ById, new { request.ClientId }, cancellationToken) is null)
        {
            throw new NotFoundException("No such client.");
        }
        // Enabling an enabled client changes nothing (its tokens stay valid).
        known.Forget();
        await db.ExecuteAsync(ClientSql.Enable, new { request.ClientId }, cancellationToken);
        work.OnCommitted(known.Forget);
        return Unit.Value;
    }
}

internal static class EnableClientEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/clients/{clientId}/enable", async (string clientId, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new EnableClient(clientId), ct);
                return Results.NoContent();
            })
            .WithName("EnableClient")
            .Audit("client.enable", AuditOperation.Modification, "client", "clientId")
            .WithSummary("Enable a disabled client again; the tokens it obtained before stay refused")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);
}
