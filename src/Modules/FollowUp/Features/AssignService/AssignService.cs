namespace EtatMajor.Modules.FollowUp.Features.AssignService;

internal sealed record AssignBody(Guid? OrganisationId, Guid[]? ObligationIds, string? Modality);

/// <summary>
/// DES-5: a co-chair assigns a service to some obligations of a designated person. The service may be a member of
/// the instance or not (police, gendarmerie, a mayor, an association, a State service of the département), never
/// the JAP or the SPIP (FLOW-1), an auditor, an administrator, or another préfet or procureur. From now on it sees the
/// identity, the release date and its obligations, and records observations on them.
/// </summary>
internal sealed record AssignService(Guid DesignationId, AssignBody Body) : ICommand<AssignmentDto>, INotADisclosure;

internal sealed class AssignServiceValidator : IValidator<AssignService>
{
    public const int MaxModality = 300;

    public void Validate(AssignService request, ValidationErrors errors)
    {
        if (request.Body.OrganisationId is null || request.Body.OrganisationId == Guid.Empty)
        {
            errors.Add("organisationId", "is required: the organisation assigned to the follow-up");
        }
        var obligations = request.Body.ObligationIds ?? [];
        if (obligations.Length == 0 || obligations.Length > 30)
        {
            errors.Add("obligationIds", "lists from 1 to 30 obligations of the designation, those this service follows");
        }
        if (obligations.Distinct().Count() != obligations.Length)
        {
            errors.Add("obligationIds", "lists an obligation twice");
        }
        errors.Required("modality", request.Body.Modality, MaxModality);
    }
}

internal sealed class AssignServiceHandler(DesignationAccess access, IDbSession db, IMediator mediator) : IRequestHandler<AssignService, AssignmentDto>
{
    /// <summary>Never assigned: the judicial side (FLOW-1), those who check or run the platform, the co-chairs' kinds, and thematic guests (COMP-5).</summary>
    private static readonly OrganisationKind[] NeverAssigned =
    [
        OrganisationKind.Jap, OrganisationKind.Spip, OrganisationKind.Auditeur, OrganisationKind.Administrateur, OrganisationKind.Prefet,
        OrganisationKind.Procureur, OrganisationKind.ProcureurGeneral, OrganisationKind.BailleurSocial, OrganisationKind.TransporteurPublic,
    ];

    /// <summary>Regional services may sit outside the département; every other service follows persons of its own.</summary>
    private static readonly OrganisationKind[] Regional = [OrganisationKind.Douanes, OrganisationKind.AdministrationEtat];

    internal static class Sql
    {
        public const string Obligations = "SELECT id FROM fu_obligations WHERE designation_id = @DesignationId";

        public const string Insert =
            "INSERT INTO fu_assignments (id, designation_id, organisation_id, modality, assigned_by, assigned_at) " +
            "VALUES (@Id, @DesignationId, @OrganisationId, @Modality, @AssignedBy, @AssignedAt)";

        public const string InsertObligation = "INSERT INTO fu_assignment_obligations (assignment_id, obligation_id) VALUES (@AssignmentId, @ObligationId)";
    }

    public async Task<AssignmentDto> Handle(AssignService request, CancellationToken cancellationToken)
    {
        var seen = await access.AsCoChairAsync(request.DesignationId, cancellationToken);
        DesignationAccess.EnsureOpen(seen);
        var organisationId = request.Body.OrganisationId!.Value;
        var circle = await mediator.Send(new GetInstanceCircle(seen.Designation.InstanceId, [organisationId], access.Now), cancellationToken);
        if (circle?.Organisations.GetValueOrDefault(organisationId) is not { } organisation)
        {
            throw new UnprocessableException("organisationId", "No such organisation.");
        }
        if (NeverAssigned.Contains(organisation.Kind))
        {
            throw new RuleViolationException(LegalRules.Des5, organisation.Kind is OrganisationKind.Jap or OrganisationKind.Spip
                ? "The JAP and the SPIP follow the person on the judicial side and never receive from nor send to the instance (Cons. const. 2016-569 QPC, FLOW-1): they cannot be assigned."
                : $"A {organisation.Kind.ToKebab()} is not a service of L132-10-1 I that follows a designated person: it cannot be assigned.");
        }
        if (!Regional.Contains(organisation.Kind) && organisation.Departement != circle.Departement)
        {
            throw new RuleViolationException(LegalRules.Des5,
                $"The services assigned to a follow-up are those of the département of the instance ({circle.Departement}); this organisation is of {organisation.Departement ?? "no département"}.");
        }
        var existing = await db.QuerySingleOrDefaultAsync<AssignmentRow>(AssignmentSql.CurrentOf,
            new { DesignationId = seen.Designation.Id, OrganisationId = organisationId, access.Now }, cancellationToken);
        if (existing is not null)
        {
            throw new ConflictException("This organisation is already assigned to this follow-up: remove its assignment first to change it.");
        }
        var known = (await db.QueryAsync<Guid>(Sql.Obligations, new { DesignationId = seen.Designation.Id }, cancellationToken)).ToHashSet();
        var unknown = request.Body.ObligationIds!.Where(o => !known.Contains(o)).ToList();
        if (unknown.Count > 0)
        {
            throw new UnprocessableException("obligationIds", $"Not obligations of this designation: {string.Join(", ", unknown)}.");
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(Sql.Insert, new
        {
            Id = id, DesignationId = seen.Designation.Id, OrganisationId = organisationId, Modality = request.Body.Modality!.Trim(),
            AssignedBy = access.Caller.OrganisationId, AssignedAt = access.Now,
        }, cancellationToken);
        foreach (var obligation in request.Body.ObligationIds!)
        {
            await db.ExecuteAsync(Sql.InsertObligation, new { AssignmentId = id, ObligationId = obligation }, cancellationToken);
        }
        return new AssignmentDto(id, organisationId, request.Body.ObligationIds, request.Body.Modality.Trim(), access.Now, null);
    }
}

internal static class AssignServiceEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(FollowUpRoutes.Designation + "/assignments", async (Guid did, AssignBody body, IMediator mediator, CancellationToken ct) =>
            {
                var assignment = await mediator.Send(new AssignService(did, body), ct);
                return Results.Created($"/api/v1/designations/{did}", assignment);
            })
            .WithName("AssignService")
            .Audit("designation.assign", AuditOperation.Communication, "assignment", null, related: "did")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Assign a service, member of the instance or not, to obligations of a designated person (co-chair; DES-5): it then sees those and the identity")
            .Produces<AssignmentDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowFollowUpWrite();
}
