using Microsoft.Extensions.Configuration;

namespace EtatMajor.Modules.Governance.Features.RotateClientSecret;

/// <summary>The new secret of a client: shown once, in this answer, never again.</summary>
internal sealed record ClientSecretRotated(string ClientId, string ClientSecret);

/// <summary>
/// A new secret for a client: the old one stops working at once, and the tokens obtained with it are refused from
/// their next request (a secret is rotated because it may have leaked: so may the tokens it obtained). The bootstrap
/// administrator's secret follows its setting (`Bootstrap:AdminClientSecret`) and is rotated there.
/// </summary>
internal sealed record RotateClientSecret(string ClientId) : ICommand<ClientSecretRotated>, INotADisclosure;

internal sealed class RotateClientSecretHandler(IDbSession db, EnabledClients known, UnitOfWork work, IConfiguration configuration)
    : IRequestHandler<RotateClientSecret, ClientSecretRotated>
{
    public async Task<ClientSecretRotated> Handle(RotateClientSecret request, CancellationToken cancellationToken)
    {
        var client = await db.QuerySingleOrDefaultAsync<ClientRow>(ClientSql.ById, new { request.ClientId }, cancellationToken)
            ?? throw new NotFoundException("No such client.");
        // The client found, in any case (SQL Server finds ids without regard to case).
        if (string.Equals(configuration["Bootstrap:AdminClientId"], client.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConflictException("The bootstrap administrator's secret follows the setting Bootstrap:AdminClientSecret: change it there and restart.");
        }
        var secret = SecretHasher.NewSecret();
        known.Forget();
        await db.ExecuteAsync(ClientSql.RotateSecret, new { client.ClientId, SecretHash = SecretHasher.Hash(secret) }, cancellationToken);
        work.OnCommitted(known.Forget);
        return new ClientSecretRotated(client.ClientId, secret);
    }
}

internal static class RotateClientSecretEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/clients/{clientId}/rotate-secret", (string clientId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new RotateClientSecret(clientId), ct))
            .WithName("RotateClientSecret")
            .Audit("client.rotate-secret", AuditOperation.Modification, "client", "clientId")
            .WithSummary("Give a client a new secret, returned once; the old secret and the tokens it obtained are refused at once")
            .SecretInAnswer()
            .Produces<ClientSecretRotated>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);
}
