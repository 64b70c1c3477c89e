namespace EtatMajor.Modules.Governance.Features.ProposeAssociation;

internal sealed record ProposeBody(Guid OrganisationId, string? Rationale);

internal sealed record ProposeAssociation(Guid InstanceId, Guid OrganisationId, string? Rationale) : ICommand<ProposalDto>, INotADisclosure;

internal sealed class ProposeAssociationValidator : IValidator<ProposeAssociation>
{
    public void Validate(ProposeAssociation request, ValidationErrors errors)
    {
        errors.NotEmpty("organisationId", request.OrganisationId);
        errors.Required("rationale", request.Rationale, 2000);
    }
}

internal sealed class ProposeAssociationHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock)
    : IRequestHandler<ProposeAssociation, ProposalDto>
{
    internal static class Sql
    {
        public const string OpenFor =
            "SELECT COUNT(*) FROM gov_association_proposals WHERE instance_id = @InstanceId AND organisation_id = @OrganisationId AND status = 'awaiting-cosignature'";
        public const string Insert =
            "INSERT INTO gov_association_proposals (id, instance_id, organisation_id, rationale, status, proposed_by_organisation_id, proposed_at) " +
            "VALUES (@Id, @InstanceId, @OrganisationId, @Rationale, 'awaiting-cosignature', @ProposedBy, @ProposedAt)";
        public const string InZsp = "SELECT COUNT(*) FROM gov_zsp_communes WHERE instance_id = @InstanceId AND commune_insee = @Commune";
    }

    public async Task<ProposalDto> Handle(ProposeAssociation request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var instance = await InstanceAccess.AsCoChairAsync(db, caller, request.InstanceId, cancellationToken);
        var organisation = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = request.OrganisationId }, cancellationToken)
            ?? throw new UnprocessableException("organisationId", "No organisation has this id.");
        var kind = organisation.KindValue;
        if (!Membership.ByJointProposal(instance.KindValue, kind))
        {
            if (Membership.IsDirect(instance.KindValue, kind))
            {
                throw new RuleViolationException(Membership.CcofsiByRight.Contains(kind) ? LegalRules.Comp2 : LegalRules.Comp4,
                    "This organisation is associated by right: a co-chair adds it directly with POST /api/v1/instances/{id}/members.");
            }
            var (rule, detail) = Membership.WhyNotDirect(instance.KindValue, kind);
            throw new RuleViolationException(rule, detail);
        }
        if (kind == OrganisationKind.Maire)
        {
            await EnsureMayorOfTheTerritoryAsync(instance, organisation, cancellationToken);
        }
        if (await db.QuerySingleOrDefaultAsync<MemberRow>(MemberSql.One, new { request.InstanceId, request.OrganisationId }, cancellationToken) is not null)
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
            Id = id, request.InstanceId, request.OrganisationId, Rationale = request.Rationale!.Trim(), ProposedBy = caller.OrganisationId,
            ProposedAt = clock.Instant(),
        }, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { request.InstanceId, Id = id }, cancellationToken))!.ToDto();
    }

    /// <summary>COMP-3: the mayors of the communes concerned — of the ZSP for a CCOFSI, of the département for an EMS.</summary>
    private async Task EnsureMayorOfTheTerritoryAsync(InstanceRow instance, OrganisationRow mayor, CancellationToken cancellationToken)
    {
        var commune = mayor.CommuneInsee ?? "";
        var concerned = instance.KindValue == InstanceKind.Ccofsi
            ? await db.QuerySingleOrDefaultAsync<int>(Sql.InZsp, new { InstanceId = instance.Id, Commune = commune }, cancellationToken) > 0
            : Territory.CommuneIsIn(commune, instance.Departement);
        if (!concerned)
        {
            throw new RuleViolationException(LegalRules.Comp3, instance.KindValue == InstanceKind.Ccofsi
                ? $"The commune {commune} is not one of the communes of the ZSP: only their mayors may be associated."
                : $"The commune {commune} is not in the département {instance.Departement}: only its mayors may be associated.");
        }
    }
}

internal static class ProposeAssociationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(ProposalRoutes.Base, async (Guid id, ProposeBody body, IMediator mediator, CancellationToken ct) =>
            {
                var proposal = await mediator.Send(new ProposeAssociation(id, body.OrganisationId, body.Rationale), ct);
                return Results.Created($"/api/v1/instances/{id}/association-proposals/{proposal.Id}", proposal);
            })
            .WithName("ProposeAssociation")
            .Audit("proposal.create", AuditOperation.Collection, "association-proposal", null, related: "id")
            .WithSummary("A co-chair proposes to associate a mayor, the SPIP, the PJJ or another State administration (COMP-3)")
            .Produces<ProposalDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowCoChairs();
}
