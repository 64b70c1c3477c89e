using System.Security.Cryptography;

namespace EtatMajor.Modules.Governance.Features.CreateClient;

internal sealed record CreateClient(Guid OrganisationId, string? DisplayName, string[]? Scopes) : ICommand<ClientCreated>, INotADisclosure;

internal sealed class CreateClientValidator : IValidator<CreateClient>
{
    public void Validate(CreateClient request, ValidationErrors errors)
    {
        errors.NotEmpty("organisationId", request.OrganisationId);
        errors.Required("displayName", request.DisplayName, 200);
        if (request.Scopes is not { Length: > 0 })
        {
            errors.Add("scopes", $"at least one of: {string.Join(' ', Scopes.All)}");
        }
        else if (request.Scopes.Length > Scopes.All.Count || request.Scopes.Any(s => !Scopes.All.Contains(s)))
        {
            errors.Add("scopes", $"each scope must be one of: {string.Join(' ', Scopes.All)}");
        }
    }
}

internal sealed class CreateClientHandler(IDbSession db, TimeProvider clock) : IRequestHandler<CreateClient, ClientCreated>
{
    public async Task<ClientCreated> Handle(CreateClient request, CancellationToken cancellationToken)
    {
        var organisation = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = request.OrganisationId }, cancellationToken)
            ?? throw new UnprocessableException("organisationId", "No organisation has this id.");
        var scopes = request.Scopes!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (ScopePolicy.Refusal(organisation.KindValue, scopes) is { } refusal)
        {
            throw new UnprocessableException("scopes", $"Scopes refused: {refusal}.");
        }
        var clientId = "c-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var secret = SecretHasher.NewSecret();
        await db.ExecuteAsync(ClientSql.Insert, new
        {
            ClientId = clientId, request.OrganisationId, DisplayName = request.DisplayName!.Trim(),
            SecretHash = SecretHasher.Hash(secret), Scopes = string.Join(' ', scopes), CreatedAt = clock.Instant(),
        }, cancellationToken);
        return new ClientCreated(clientId, secret, request.OrganisationId, request.DisplayName.Trim(), scopes);
    }
}

internal static class CreateClientEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/clients", async (CreateClient body, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(body, ct);
                return Results.Created($"/api/v1/clients/{created.ClientId}", created);
            })
            .WithName("CreateClient")
            .Audit("client.create", AuditOperation.Collection, "client")
            .WithSummary("Create an API client for an organisation; the secret is returned once, never again (not to a retry under the same Idempotency-Key either: 409 naming the client)")
            .SecretInAnswer()
            .Produces<ClientCreated>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);
}
