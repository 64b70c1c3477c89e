namespace EtatMajor.Modules.Governance.Features.ProposeAssociation;

internal sealed record ProposeBody(Guid OrganisationId, string? Rationale, string? Scope, DateOnly? Until);

internal sealed record ProposeAssociation(Guid InstanceId, Guid OrganisationId, string? Rationale, string? Scope, DateOnly? Until)
    : ICommand<ProposalDto>, INotADisclosure;

internal sealed class ProposeAssociationValidator : IValidator<ProposeAssociation>
{
    public const int MaxScope = 500;

    public void Validate(ProposeAssociation request, ValidationErrors errors)
    {
        errors.NotEmpty("organisationId", request.OrganisationId);
        errors.Required("rationale", request.Rationale, 2000);
        if (request.Scope is not null)
        {
            errors.Required("scope", request.Scope, MaxScope);
        }
    }
}

/// <summary>
/// COMP-3: a co-chair of a CCOFSI proposes to associate a mayor of one of the ZSP's communes, the SPIP, the PJJ or
/// another State administration, optionally for a scope and until a date; the other co-chair co-signs. An EMS
/// has no such route.
/// </summary>
internal sealed class ProposeAssociationHandler(InstanceAccess access, IDbSession db, ICallerAccessor callers, TimeProvider clock)
    : IRequestHandler<ProposeAssociation, ProposalDto>
{
    internal static class Sql
    {
        public const string OpenFor =
            "SELECT COUNT(*) FROM gov_association_proposals WHERE instance_id = @InstanceId AND organisation_id = @OrganisationId AND status = 'awaiting-cosignature'";
        public const string Insert =
            "INSERT INTO gov_association_proposals (id, instance_id, organisation_id, rationale, scope, until_on, status, proposed_by_organisation_id, proposed_at) " +
            "VALUES (@Id, @InstanceId, @OrganisationId, @Rationale, @Scope, @Until, 'awaiting-cosignature', @ProposedBy, @ProposedAt)";
        public const string InZsp = "SELECT COUNT(*) FROM gov_zsp_communes WHERE instance_id = @InstanceId AND commune_insee = @Commune";
    }

    public async Task<ProposalDto> Handle(ProposeAssociation request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var instance = await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        var organisation = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = request.OrganisationId }, cancellationToken)
            ?? throw new UnprocessableException("organisationId", "No organisation has this id.");
        var admission = Membership.ByProposal(instance, organisation.KindValue);
        if (admission.Allowed)
        {
            admission = Membership.Territory(instance, organisation, LegalRules.Comp3);
        }
        if (!admission.Allowed)
        {
            throw admission.Refusal();
        }
        if (organisation.KindValue == OrganisationKind.Maire
            && await db.QuerySingleOrDefaultAsync<int>(Sql.InZsp, new { InstanceId = instance.Id, Commune = organisation.CommuneInsee ?? "" }, cancellationToken) == 0)
        {
            throw new RuleViolationException(LegalRules.Comp3,
                $"The commune {organisation.CommuneInsee} is not one of the communes of the ZSP: only their mayors may be associated.");
        }
        if (request.Until is { } until && until < LegalCalendar.Today(clock))
        {
            throw new UnprocessableException("until", "The association would already have ended: give a date from today on.") { Rule = LegalRules.Comp3 };
        }
        if (await access.MemberAsync(request.InstanceId, request.OrganisationId, cancellationToken) is not null)
        {
            throw new ConflictException("This organisation is already a member of the instance.");
        }
        if (await db.QuerySingleOrDefaultAsync<int>(Sql.OpenFor, new { request.InstanceId, request.OrganisationId }, cancellationToken) > 0)
        {
            throw new ConflictException("A proposal for this organisation already awaits the other co-chair's signature.");
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(Sql.Insert, new
        {
            Id = id, request.InstanceId, request.OrganisationId, Rationale = request.Rationale!.Trim(), Scope = request.Scope?.Trim(), request.Until,
            ProposedBy = caller.OrganisationId, ProposedAt = clock.Instant(),
        }, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { request.InstanceId, Id = id }, cancellationToken))!.ToDto();
    }
}

internal static class ProposeAssociationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(ProposalRoutes.Base, async (Guid id, ProposeBody body, IMediator mediator, CancellationToken ct) =>
            {
                var proposal = await mediator.Send(new ProposeAssociation(id, body.OrganisationId, body.Rationale, body.Scope, body.Until), ct);
                return Results.Created($"/api/v1/instances/{id}/association-proposals/{proposal.Id}", proposal);
            })
            .WithName("ProposeAssociation")
            .Audit("proposal.create", AuditOperation.Collection, "association-proposal", null, related: "id")
            .WithSummary("A co-chair of a CCOFSI proposes to associate a mayor, the SPIP, the PJJ or another State administration, optionally for a scope and until a date (COMP-3)")
            .Produces<ProposalDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowCoChairs();
}
