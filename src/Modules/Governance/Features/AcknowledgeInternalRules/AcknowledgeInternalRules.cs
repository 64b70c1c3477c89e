namespace EtatMajor.Modules.Governance.Features.AcknowledgeInternalRules;

internal sealed record Acknowledge(Guid InstanceId) : ICommand<AcknowledgementDto>, INotADisclosure;

internal sealed class AcknowledgeHandler(InstanceAccess access, IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<Acknowledge, AcknowledgementDto>
{
    public async Task<AcknowledgementDto> Handle(Acknowledge request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await access.AsMemberAsync(request.InstanceId, cancellationToken);
        var rules = await InternalRulesReader.InForceAsync(db, request.InstanceId, LegalCalendar.Today(clock), cancellationToken)
            ?? throw new NotFoundException($"No règlement intérieur of the CDPD is in force for this instance ({LegalRules.Conf3.Id}).") { Rule = LegalRules.Conf3 };
        var key = new { request.InstanceId, InternalRulesId = rules.Id, caller.OrganisationId };
        if (await db.QuerySingleOrDefaultAsync<AcknowledgementRow>(InternalRulesSql.Acknowledgement, key, cancellationToken) is not null)
        {
            throw new ConflictException($"This organisation already acknowledged version '{rules.Version}' for this instance.");
        }
        await db.ExecuteAsync(InternalRulesSql.Acknowledge, new { InternalRulesId = rules.Id, request.InstanceId, caller.OrganisationId, AcknowledgedAt = clock.Instant() }, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<AcknowledgementRow>(InternalRulesSql.Acknowledgement, key, cancellationToken))!.ToDto();
    }
}

internal static class AcknowledgeInternalRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(InternalRulesRoutes.OfInstance + "/current/acknowledgements", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var acknowledgement = await mediator.Send(new Acknowledge(id), ct);
                return Results.Created($"/api/v1/instances/{id}/internal-rules/acknowledgements", acknowledgement);
            })
            .WithName("AcknowledgeInternalRules")
            .Audit("internal-rules.acknowledge", AuditOperation.Collection, "internal-rules", null, related: "id")
            .WithSummary("The calling member organisation acknowledges, for this instance, the règlement intérieur in force (CONF-4)")
            .Produces<AcknowledgementDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AllowMembers();
}
