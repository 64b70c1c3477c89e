using EtatMajor.Modules.Governance.Domain;
using EtatMajor.Modules.Governance.Features.Organisations;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using System.Security.Cryptography;
using EtatMajor.SharedKernel.Http;

namespace EtatMajor.Modules.Governance.Features.Clients;

/// <summary>A client as the API shows it: never its secret.</summary>
internal sealed record ClientDto(
    string ClientId, Guid OrganisationId, string DisplayName, IReadOnlyList<string> Scopes, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);

/// <summary>The answer to a client creation: the only time the secret is ever shown.</summary>
internal sealed record ClientCreated(string ClientId, string ClientSecret, Guid OrganisationId, string DisplayName, IReadOnlyList<string> Scopes);

internal sealed record CreateClient(Guid OrganisationId, string? DisplayName, string[]? Scopes) : ICommand<ClientCreated>;

internal sealed record GetClient(string ClientId) : IQuery<ClientDto>;

internal sealed record DisableClient(string ClientId) : ICommand<Unit>;

internal sealed class ClientRow
{
    public const string Columns =
        $"client_id AS {nameof(ClientId)}, organisation_id AS {nameof(OrganisationId)}, display_name AS {nameof(DisplayName)}, " +
        $"scopes AS {nameof(Scopes)}, enabled AS {nameof(Enabled)}, created_at AS {nameof(CreatedAt)}, disabled_at AS {nameof(DisabledAt)}";

    public string ClientId { get; init; } = "";
    public Guid OrganisationId { get; init; }
    public string DisplayName { get; init; } = "";
    public string Scopes { get; init; } = "";
    public bool Enabled { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }

    public ClientDto ToDto() => new(ClientId, OrganisationId, DisplayName, Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        Enabled, CreatedAt, DisabledAt);
}

internal static class ClientSql
{
    public const string ById = $"SELECT {ClientRow.Columns} FROM gov_clients WHERE client_id = @ClientId";
    public const string Insert =
        "INSERT INTO gov_clients (client_id, organisation_id, display_name, secret_hash, scopes, enabled, created_at) " +
        "VALUES (@ClientId, @OrganisationId, @DisplayName, @SecretHash, @Scopes, 1, @CreatedAt)";
    public const string Disable =
        "UPDATE gov_clients SET enabled = 0, disabled_at = @DisabledAt WHERE client_id = @ClientId AND enabled = 1";
}

/// <summary>
/// Separation of duties, chosen to protect the persons concerned: an administrators' organisation holds
/// only `admin`, an auditors' only `audit`, and no other organisation may hold either.
/// </summary>
internal static class ScopePolicy
{
    public static string? Refusal(OrganisationKind kind, IReadOnlyCollection<string> scopes) => kind switch
    {
        OrganisationKind.Administrateur when scopes.Any(s => s != Scopes.Admin) =>
            "an administrateur organisation holds only the admin scope",
        OrganisationKind.Auditeur when scopes.Any(s => s != Scopes.Audit) =>
            "an auditeur organisation holds only the audit scope (LOG-2)",
        not (OrganisationKind.Administrateur or OrganisationKind.Auditeur) when scopes.Contains(Scopes.Admin) || scopes.Contains(Scopes.Audit) =>
            "the admin and audit scopes are reserved to administrateur and auditeur organisations",
        _ => null,
    };
}

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

internal sealed class GetClientHandler(IDbSession db) : IRequestHandler<GetClient, ClientDto>
{
    public async Task<ClientDto> Handle(GetClient request, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<ClientRow>(ClientSql.ById, new { request.ClientId }, cancellationToken);
        return row?.ToDto() ?? throw new NotFoundException("No such client.");
    }
}

internal sealed class DisableClientHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<DisableClient, Unit>
{
    public async Task<Unit> Handle(DisableClient request, CancellationToken cancellationToken)
    {
        if (await db.QuerySingleOrDefaultAsync<ClientRow>(ClientSql.ById, new { request.ClientId }, cancellationToken) is null)
        {
            throw new NotFoundException("No such client.");
        }
        if (callers.Required.ClientId == request.ClientId)
        {
            throw new ConflictException("A client cannot disable itself: use another administrator client.");
        }
        // Disabling twice is harmless: the first instant of disabling is kept.
        await db.ExecuteAsync(ClientSql.Disable, new { request.ClientId, DisabledAt = clock.Instant() }, cancellationToken);
        return Unit.Value;
    }
}

internal static class ClientEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/clients", async (CreateClient body, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(body, ct);
                return Results.Created($"/api/v1/clients/{created.ClientId}", created);
            })
            .WithName("CreateClient")
            .Audit("client.create", AuditOperation.Collection, "client")
            .WithSummary("Create an API client for an organisation; the secret is returned once, never again")
            .Produces<ClientCreated>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);

        app.MapGet("/api/v1/clients/{clientId}", (string clientId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetClient(clientId), ct))
            .WithName("GetClient")
            .Audit("client.read", AuditOperation.Consultation, "client", "clientId")
            .WithSummary("Read a client (without its secret)")
            .Produces<ClientDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);

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
}
