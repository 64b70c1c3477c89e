namespace EtatMajor.Modules.Governance.Features.GetClient;

internal sealed record GetClient(string ClientId) : IQuery<ClientDto>, INotADisclosure;

internal sealed class GetClientHandler(IDbSession db) : IRequestHandler<GetClient, ClientDto>
{
    public async Task<ClientDto> Handle(GetClient request, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<ClientRow>(ClientSql.ById, new { request.ClientId }, cancellationToken);
        return row?.ToDto() ?? throw new NotFoundException("No such client.");
    }
}

internal static class GetClientEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/clients/{clientId}", (string clientId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetClient(clientId), ct))
            .WithName("GetClient")
            .Audit("client.read", AuditOperation.Consultation, "client", "clientId")
            .WithSummary("Read a client (without its secret)")
            .Produces<ClientDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);
}
