namespace EtatMajor.Modules.FollowUp.Features.RemoveAssignment;

/// <summary>DES-5, CONF-1: from its removal, the service is a third party, also for what it saw before (its reads answer 404).</summary>
internal sealed record RemoveAssignment(Guid DesignationId, Guid AssignmentId) : ICommand<Unit>, INotADisclosure;

internal sealed class RemoveAssignmentHandler(DesignationAccess access, IDbSession db) : IRequestHandler<RemoveAssignment, Unit>
{
    internal static class Sql
    {
        public const string Remove =
            "UPDATE fu_assignments SET removed_at = @Now WHERE id = @Id AND designation_id = @DesignationId AND removed_at IS NULL";
    }

    public async Task<Unit> Handle(RemoveAssignment request, CancellationToken cancellationToken)
    {
        await access.AsCoChairAsync(request.DesignationId, cancellationToken);
        var removed = await db.ExecuteAsync(Sql.Remove, new { Id = request.AssignmentId, request.DesignationId, access.Now }, cancellationToken);
        return removed == 0 ? throw new NotFoundException("No such current assignment in this designation.") : Unit.Value;
    }
}

internal static class RemoveAssignmentEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapDelete(FollowUpRoutes.Designation + "/assignments/{aid:guid}", async (Guid did, Guid aid, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new RemoveAssignment(did, aid), ct);
                return Results.NoContent();
            })
            .WithName("RemoveAssignment")
            .Audit("designation.unassign", AuditOperation.Modification, "assignment", "aid", related: "did")
            .StoresPersonalData().RequireJustification()
            .WithSummary("End an assignment (co-chair; DES-5): the service becomes a third party at once, also for what it saw before (CONF-1)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowFollowUpWrite();
}
