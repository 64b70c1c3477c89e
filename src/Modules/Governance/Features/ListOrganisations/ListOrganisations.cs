namespace EtatMajor.Modules.Governance.Features.ListOrganisations;

internal sealed record ListOrganisations(string? Kind, string? Departement, int? Limit, string? Cursor) : IQuery<Page<OrganisationDto>>, INotADisclosure;

internal sealed class ListOrganisationsValidator : IValidator<ListOrganisations>
{
    public void Validate(ListOrganisations request, ValidationErrors errors)
    {
        if (request.Kind is not null && !Kebab.TryParse<OrganisationKind>(request.Kind, out _))
        {
            errors.Add("kind", "is not an organisation kind");
        }
        if (request.Departement is not null && !Territory.IsDepartement(request.Departement))
        {
            errors.Add("departement", Territory.DepartementHint);
        }
        PageRequest.From(request.Limit, request.Cursor, errors);
    }
}

internal sealed class ListOrganisationsHandler(IDbSession db) : IRequestHandler<ListOrganisations, Page<OrganisationDto>>
{
    internal static class Sql
    {
        // Keyset pagination on the unique code: stable and readable order, no OFFSET.
        public const string Page =
            $"SELECT {OrganisationRow.Columns} FROM gov_organisations " +
            "WHERE (@Kind IS NULL OR kind = @Kind) AND (@Departement IS NULL OR departement = @Departement) " +
            "AND (@After IS NULL OR code > @After) ORDER BY code LIMIT @Take";
    }

    public async Task<Page<OrganisationDto>> Handle(ListOrganisations request, CancellationToken cancellationToken)
    {
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var rows = await db.QueryAsync<OrganisationRow>(Sql.Page, new { request.Kind, request.Departement, page.After, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), o => o.Code);
    }
}

internal static class ListOrganisationsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/organisations",
                (string? kind, string? departement, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new ListOrganisations(kind, departement, limit, cursor), ct))
            .WithName("ListOrganisations")
            .Audit("organisation.list", AuditOperation.Consultation, "organisation", null)
            .WithSummary("List organisations, filtered by kind and département (cursor pagination)")
            .Produces<Page<OrganisationDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);
}
