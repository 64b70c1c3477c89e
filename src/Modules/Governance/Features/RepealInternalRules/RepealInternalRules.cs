using EtatMajor.Modules.Governance.Features.GetDepartementInternalRules;
using EtatMajor.Modules.Governance.Features.RecordInternalRules;

namespace EtatMajor.Modules.Governance.Features.RepealInternalRules;

internal sealed record RepealBody(DateOnly? RepealedOn);

/// <summary>The préfet records that the CDPD repealed its règlement: from `RepealedOn` it covers nothing (CONF-3).</summary>
internal sealed record RepealInternalRules(Guid RulesId, DateOnly? RepealedOn) : ICommand<InternalRulesDto>, INotADisclosure;

internal sealed class RepealInternalRulesValidator : IValidator<RepealInternalRules>
{
    public void Validate(RepealInternalRules request, ValidationErrors errors)
    {
        if (request.RepealedOn is null)
        {
            errors.Add("repealedOn", "is required: the first day the règlement is no longer in force");
        }
    }
}

internal sealed class RepealInternalRulesHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RepealInternalRules, InternalRulesDto>
{
    internal static class Sql
    {
        public const string Repeal =
            "UPDATE gov_internal_rules SET repealed_on = @RepealedOn, repealed_by_organisation_id = @RepealedBy, repealed_at = @RepealedAt " +
            "WHERE id = @Id AND repealed_on IS NULL";
    }

    public async Task<InternalRulesDto> Handle(RepealInternalRules request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var rules = await db.QuerySingleOrDefaultAsync<InternalRulesRow>(InternalRulesSql.ById, new { Id = request.RulesId }, cancellationToken);
        if (rules is null || !await DepartementRulesAccess.MayReadAsync(db, caller, rules, clock.Instant(), cancellationToken))
        {
            throw new NotFoundException("No such règlement intérieur.");
        }
        await PrefetOf.DepartementAsync(db, caller, rules.Departement, cancellationToken);
        if (rules.RepealedOn is not null)
        {
            throw new ConflictException($"This règlement is already repealed from {rules.RepealedOn:yyyy-MM-dd}.");
        }
        if (request.RepealedOn < rules.InForceFrom)
        {
            throw new UnprocessableException("repealedOn", $"A règlement in force from {rules.InForceFrom:yyyy-MM-dd} cannot be repealed before.");
        }
        if (await db.ExecuteAsync(Sql.Repeal, new { Id = rules.Id, request.RepealedOn, RepealedBy = caller.OrganisationId, RepealedAt = clock.Instant() }, cancellationToken) != 1)
        {
            throw new ConflictException("This règlement was repealed meanwhile.");
        }
        return await InternalRulesReader.ToDtoAsync(db, (await db.QuerySingleOrDefaultAsync<InternalRulesRow>(InternalRulesSql.ById, new { Id = rules.Id }, cancellationToken))!,
            cancellationToken);
    }
}

internal static class RepealInternalRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(InternalRulesRoutes.OfDepartement + "/{rulesId:guid}/repeal", (Guid rulesId, RepealBody body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new RepealInternalRules(rulesId, body.RepealedOn), ct))
            .WithName("RepealInternalRules")
            .Audit("internal-rules.repeal", AuditOperation.Modification, "internal-rules", "rulesId")
            .WithSummary("The préfet records the repeal of the CDPD's règlement intérieur: from that day no exchange relies on it (CONF-3)")
            .Produces<InternalRulesDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Governance, OrganisationKind.Prefet);
}
