namespace EtatMajor.Modules.Governance.Features.GetInternalRules;

internal sealed record GetInternalRules(Guid InstanceId, Guid? RulesId) : IQuery<InternalRulesDto>, INotADisclosure;

/// <summary>One version by id, or (no id) the one in force today — 404 when none is (CONF-3).</summary>
internal sealed class GetInternalRulesHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetInternalRules, InternalRulesDto>
{
    public async Task<InternalRulesDto> Handle(GetInternalRules request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsMemberAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var row = request.RulesId is { } id
            ? await db.QuerySingleOrDefaultAsync<InternalRulesRow>(InternalRulesSql.One, new { request.InstanceId, Id = id }, cancellationToken)
            : await RulesInForce.OnAsync(db, request.InstanceId, LegalCalendar.Today(clock), cancellationToken);
        return row?.ToDto() ?? throw (request.RulesId is null
            ? new NotFoundException($"No règlement intérieur is in force for this instance ({LegalRules.Conf3.Id}): no confidential exchange can take place.") { Rule = LegalRules.Conf3 }
            : new NotFoundException("No such version of the règlement intérieur."));
    }
}

internal static class GetInternalRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(InternalRulesRoutes.Base + "/current", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetInternalRules(id, null), ct))
            .WithName("GetCurrentInternalRules")
            .Audit("internal-rules.read", AuditOperation.Consultation, "instance")
            .WithSummary("The règlement intérieur in force today (404 when none: no exchange can take place)")
            .Produces<InternalRulesDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();

        app.MapGet(InternalRulesRoutes.Base + "/{rulesId:guid}", (Guid id, Guid rulesId, IMediator mediator, CancellationToken ct) => mediator.Send(new GetInternalRules(id, rulesId), ct))
            .WithName("GetInternalRules")
            .Audit("internal-rules.read", AuditOperation.Consultation, "internal-rules", "rulesId")
            .WithSummary("One version of the règlement intérieur")
            .Produces<InternalRulesDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();
    }
}
