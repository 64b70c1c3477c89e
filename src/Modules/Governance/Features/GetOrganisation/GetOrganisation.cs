namespace EtatMajor.Modules.Governance.Features.GetOrganisation;

internal sealed record GetOrganisation(Guid Id) : IQuery<OrganisationDto>, INotADisclosure;

internal sealed class GetOrganisationHandler(IDbSession db) : IRequestHandler<GetOrganisation, OrganisationDto>
{
    public async Task<OrganisationDto> Handle(GetOrganisation request, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { request.Id }, cancellationToken);
        return row?.ToDto() ?? throw new NotFoundException("No such organisation.");
    }
}

internal static class GetOrganisationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/organisations/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetOrganisation(id), ct))
            .WithName("GetOrganisation")
            .Audit("organisation.read", AuditOperation.Consultation, "organisation")
            .WithSummary("Read one organisation")
            .Produces<OrganisationDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);
}
