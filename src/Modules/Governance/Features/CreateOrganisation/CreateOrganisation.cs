using System.Text.RegularExpressions;

namespace EtatMajor.Modules.Governance.Features.CreateOrganisation;

internal sealed record CreateOrganisation(string? Code, string? Name, OrganisationKind? Kind, string? Departement, string? CommuneInsee)
    : ICommand<OrganisationDto>, INotADisclosure;

internal sealed partial class CreateOrganisationValidator : IValidator<CreateOrganisation>
{
    public void Validate(CreateOrganisation request, ValidationErrors errors)
    {
        errors.Required("code", request.Code, 64);
        if (request.Code is { Length: > 0 and <= 64 } code && !CodePattern().IsMatch(code))
        {
            errors.Add("code", "may contain only letters, digits, '.', '-' and '_', and must start with a letter or digit");
        }
        errors.Required("name", request.Name, 200);
        if (request.Kind is null)
        {
            errors.Add("kind", "is required");
        }
        // National bodies (the administrators of the platform, an inspection or the CNIL) have no département.
        var national = request.Kind is OrganisationKind.Administrateur or OrganisationKind.Auditeur;
        if (request.Departement is null ? !national : !Territory.IsDepartement(request.Departement))
        {
            errors.Add("departement", Territory.DepartementHint);
        }
        if (request.Kind == OrganisationKind.Maire)
        {
            if (!Territory.IsCommuneInsee(request.CommuneInsee))
            {
                errors.Add("communeInsee", "is required for a maire: the 5-character INSEE code of the commune");
            }
            else if (request.Departement is not null && !Territory.CommuneIsIn(request.CommuneInsee!, request.Departement))
            {
                errors.Add("communeInsee", "must be a commune of the département");
            }
        }
        else if (request.CommuneInsee is not null)
        {
            errors.Add("communeInsee", "applies only to an organisation of kind maire");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}

internal sealed class CreateOrganisationHandler(IDbSession db, TimeProvider clock) : IRequestHandler<CreateOrganisation, OrganisationDto>
{
    internal static class Sql
    {
        public const string CodeExists = "SELECT COUNT(*) FROM gov_organisations WHERE code = @Code";
        public const string Insert =
            "INSERT INTO gov_organisations (id, code, name, kind, departement, commune_insee, created_at) " +
            "VALUES (@Id, @Code, @Name, @Kind, @Departement, @CommuneInsee, @CreatedAt)";
    }

    public async Task<OrganisationDto> Handle(CreateOrganisation request, CancellationToken cancellationToken)
    {
        if (await db.QuerySingleOrDefaultAsync<int>(Sql.CodeExists, new { request.Code }, cancellationToken) > 0)
        {
            throw new ConflictException($"An organisation with code '{request.Code}' already exists.");
        }
        var organisation = new OrganisationDto(Guid.CreateVersion7(), request.Code!, request.Name!.Trim(), request.Kind!.Value,
            request.Departement, request.CommuneInsee, clock.Instant());
        await db.ExecuteAsync(Sql.Insert, new
        {
            organisation.Id, organisation.Code, organisation.Name, Kind = organisation.Kind.ToKebab(),
            organisation.Departement, organisation.CommuneInsee, organisation.CreatedAt,
        }, cancellationToken);
        return organisation;
    }
}

internal static class CreateOrganisationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/organisations", async (CreateOrganisation body, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(body, ct);
                return Results.Created($"/api/v1/organisations/{created.Id}", created);
            })
            .WithName("CreateOrganisation")
            .Audit("organisation.create", AuditOperation.Collection, "organisation")
            .WithSummary("Register an organisation (prefecture, parquet, police, mayor…)")
            .Produces<OrganisationDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur);
}
