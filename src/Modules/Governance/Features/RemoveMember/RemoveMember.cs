namespace EtatMajor.Modules.Governance.Features.RemoveMember;

internal sealed record RemoveMember(Guid InstanceId, Guid OrganisationId) : ICommand<Unit>, INotADisclosure;

internal sealed class RemoveMemberHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RemoveMember, Unit>
{
    internal static class Sql
    {
        public const string Remove =
            "UPDATE gov_instance_members SET removed_at = @RemovedAt WHERE instance_id = @InstanceId AND organisation_id = @OrganisationId AND removed_at IS NULL";
    }

    public async Task<Unit> Handle(RemoveMember request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsCoChairAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var member = await db.QuerySingleOrDefaultAsync<MemberRow>(MemberSql.One, new { request.InstanceId, request.OrganisationId }, cancellationToken)
            ?? throw new NotFoundException("This organisation is not a member of the instance.");
        if (member.Role == MemberRole.CoChair.ToKebab())
        {
            throw new RuleViolationException(LegalRules.Comp1, "A co-chair (préfet or procureur) cannot be removed: the instance is co-chaired by both.");
        }
        // From this instant the organisation is a third party, also for what it received before (CONF-1).
        await db.ExecuteAsync(Sql.Remove, new { request.InstanceId, request.OrganisationId, RemovedAt = clock.Instant() }, cancellationToken);
        return Unit.Value;
    }
}

internal static class RemoveMemberEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapDelete("/api/v1/instances/{id:guid}/members/{organisationId:guid}", async (Guid id, Guid organisationId, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new RemoveMember(id, organisationId), ct);
                return Results.NoContent();
            })
            .WithName("RemoveMember")
            .Audit("member.remove", AuditOperation.Modification, "member", "id,organisationId")
            .WithSummary("Remove a member (co-chairs only; a co-chair cannot be removed)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowCoChairs();
}
