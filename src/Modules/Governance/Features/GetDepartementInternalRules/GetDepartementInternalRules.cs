namespace EtatMajor.Modules.Governance.Features.GetDepartementInternalRules;

internal sealed record GetDepartementInternalRules(Guid RulesId) : IQuery<InternalRulesDto>, INotADisclosure;

/// <summary>
/// A règlement as recorded for the département: readable by its préfet and by the members of an instance it
/// covers; anyone else gets 404.
/// </summary>
internal sealed class GetDepartementInternalRulesHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetDepartementInternalRules, InternalRulesDto>
{
    public async Task<InternalRulesDto> Handle(GetDepartementInternalRules request, CancellationToken cancellationToken)
    {
        var rules = await db.QuerySingleOrDefaultAsync<InternalRulesRow>(InternalRulesSql.ById, new { Id = request.RulesId }, cancellationToken);
        if (rules is null || !await DepartementRulesAccess.MayReadAsync(db, callers.Required, rules, clock.Instant(), cancellationToken))
        {
            throw new NotFoundException("No such règlement intérieur.");
        }
        return await InternalRulesReader.ToDtoAsync(db, rules, cancellationToken);
    }
}

/// <summary>Who knows a règlement of a département exists: its préfet, and the current members of an instance it covers.</summary>
internal static class DepartementRulesAccess
{
    internal static class Sql
    {
        public const string PrefetOf = "SELECT COUNT(*) FROM gov_organisations WHERE id = @OrganisationId AND kind = 'prefet' AND departement = @Departement";

        public const string MemberOfCovered =
            "SELECT COUNT(*) FROM gov_instances i JOIN gov_instance_members m ON m.instance_id = i.id " +
            "WHERE i.departement = @Departement AND m.organisation_id = @OrganisationId AND " + MemberSql.Current + " " +
            "AND (@CoversAll = 1 OR EXISTS (SELECT 1 FROM gov_internal_rules_instances c WHERE c.internal_rules_id = @Id AND c.instance_id = i.id))";
    }

    public static async Task<bool> MayReadAsync(IDbSession db, Caller caller, InternalRulesRow rules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = new { caller.OrganisationId, rules.Departement, rules.Id, CoversAll = rules.CoversAllInstances, Now = now };
        return await db.QuerySingleOrDefaultAsync<int>(Sql.PrefetOf, key, cancellationToken) > 0
            || await db.QuerySingleOrDefaultAsync<int>(Sql.MemberOfCovered, key, cancellationToken) > 0;
    }
}

internal static class GetDepartementInternalRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(InternalRulesRoutes.OfDepartement + "/{rulesId:guid}", (Guid rulesId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetDepartementInternalRules(rulesId), ct))
            .WithName("GetDepartementInternalRules")
            .Audit("internal-rules.read", AuditOperation.Consultation, "internal-rules", "rulesId")
            .WithSummary("A règlement intérieur of the CDPD, with the instances it covers (its préfet and the members of a covered instance)")
            .Produces<InternalRulesDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();
}
