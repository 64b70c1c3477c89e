namespace EtatMajor.Modules.Governance.Features.RemoveMember;

internal sealed record RemoveMember(Guid InstanceId, Guid OrganisationId) : ICommand<Unit>, INotADisclosure;

internal sealed class RemoveMemberHandler(InstanceAccess access, IDbSession db) : IRequestHandler<RemoveMember, Unit>
{
    internal static class Sql
    {
        /// <summary>Ends the membership now, also one that was to end later (an association until a date).</summary>
        public const string Remove =
            "UPDATE gov_instance_members SET removed_at = @Now WHERE instance_id = @InstanceId AND organisation_id = @OrganisationId " +
            "AND (removed_at IS NULL OR removed_at > @Now)";
        public const string CoChairProcureurs =
            "SELECT COUNT(*) FROM gov_instance_members m JOIN gov_organisations o ON o.id = m.organisation_id " +
            "WHERE m.instance_id = @InstanceId AND m.role = 'co-chair' AND o.kind = 'procureur' AND " + MemberSql.Current;
    }

    public async Task<Unit> Handle(RemoveMember request, CancellationToken cancellationToken)
    {
        await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        var member = await access.MemberAsync(request.InstanceId, request.OrganisationId, cancellationToken)
            ?? throw new NotFoundException("This organisation is not a member of the instance.");
        if (member.Role == MemberRole.CoChair.ToKebab()
            && (member.Kind != OrganisationKind.Procureur.ToKebab()
                || await db.QuerySingleOrDefaultAsync<int>(Sql.CoChairProcureurs, new { request.InstanceId, access.Now }, cancellationToken) < 2))
        {
            throw new RuleViolationException(LegalRules.Comp1,
                "The préfet and the last procureur cannot be removed: the instance is co-chaired by both. Another procureur of the département may leave while one remains.");
        }
        // From this instant the organisation is a third party, also for what it received before (CONF-1).
        await db.ExecuteAsync(Sql.Remove, new { request.InstanceId, request.OrganisationId, access.Now }, cancellationToken);
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
            .WithSummary("Remove a member (co-chairs only; the préfet and the last procureur cannot be removed)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowCoChairs();
}
