namespace EtatMajor.Modules.Governance.Features.ListClients;

internal sealed record ListClients(Guid? OrganisationId, bool? Enabled, int? Limit, string? Cursor) : IQuery<Page<ClientDto>>, INotADisclosure;

internal sealed class ListClientsValidator : IValidator<ListClients>
{
    public void Validate(ListClients request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors);
}

internal sealed class ListClientsHandler(IDbSession db) : IRequestHandler<ListClients, Page<ClientDto>>
{
    public async Task<Page<ClientDto>> Handle(ListClients request, CancellationToken cancellationToken)
    {
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var rows = await db.QueryAsync<ClientRow>(ClientSql.Page, new { request.OrganisationId, request.Enabled, page.After, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), c => c.ClientId);
    }
}

internal static class ListClientsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/clients", (Guid? organisationId, bool? enabled, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListClients(organisationId, enabled, limit, cursor), ct))
            .WithName("ListClients")
            .Audit("client.list", AuditOperation.Consultation, "client", null)
            .WithSummary("List the API clients (never their secrets), filtered by organisation and state (cursor pagination)")
            .Produces<Page<ClientDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);
}
