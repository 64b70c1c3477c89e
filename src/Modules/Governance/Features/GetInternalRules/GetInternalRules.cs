namespace EtatMajor.Modules.Governance.Features.GetInternalRules;

internal sealed record GetInternalRules(Guid InstanceId, Guid? RulesId) : IQuery<InternalRulesDto>, INotADisclosure;

/// <summary>One règlement covering the instance by id, or (no id) the one in force today — 404 when none is (CONF-3).</summary>
internal sealed class GetInternalRulesHandler(InstanceAccess access, IDbSession db, TimeProvider clock) : IRequestHandler<GetInternalRules, InternalRulesDto>
{
    public async Task<InternalRulesDto> Handle(GetInternalRules request, CancellationToken cancellationToken)
    {
        await access.AsMemberAsync(request.InstanceId, cancellationToken);
        var row = request.RulesId is { } id
            ? await db.QuerySingleOrDefaultAsync<InternalRulesRow>(InternalRulesSql.OneCovering, new { request.InstanceId, Id = id }, cancellationToken)
            : await InternalRulesReader.InForceAsync(db, request.InstanceId, LegalCalendar.Today(clock), cancellationToken);
        return row is not null
            ? await InternalRulesReader.ToDtoAsync(db, row, cancellationToken)
            : throw (request.RulesId is null
                ? new NotFoundException($"No règlement intérieur of the CDPD is in force for this instance ({LegalRules.Conf3.Id}): no confidential exchange can take place.")
                {
                    Rule = LegalRules.Conf3,
                }
                : new NotFoundException("No such règlement intérieur for this instance."));
    }
}

internal static class GetInternalRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(InternalRulesRoutes.OfInstance + "/current", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetInternalRules(id, null), ct))
            .WithName("GetCurrentInternalRules")
            .Audit("internal-rules.read", AuditOperation.Consultation, "instance")
            .WithSummary("The CDPD's règlement intérieur in force today for this instance (404 when none: no exchange can take place)")
            .Produces<InternalRulesDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();

        app.MapGet(InternalRulesRoutes.OfInstance + "/{rulesId:guid}", (Guid id, Guid rulesId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetInternalRules(id, rulesId), ct))
            .WithName("GetInternalRules")
            .Audit("internal-rules.read", AuditOperation.Consultation, "internal-rules", "rulesId", related: "id")
            .WithSummary("One règlement intérieur covering this instance")
            .Produces<InternalRulesDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();
    }
}
