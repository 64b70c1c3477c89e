namespace EtatMajor.Modules.FollowUp.Features.GetDesignation;

/// <summary>DES-5: the co-chairs see the whole designation; an assigned service its own part; anyone else gets 404.</summary>
internal sealed record GetDesignation(Guid DesignationId) : IQuery<object>, INotADisclosure;

internal sealed class GetDesignationHandler(DesignationAccess access, IDbSession db) : IRequestHandler<GetDesignation, object>
{
    public async Task<object> Handle(GetDesignation request, CancellationToken cancellationToken)
    {
        var seen = await access.SeenAsync(request.DesignationId, cancellationToken);
        return seen.IsCoChair
            ? await DesignationReader.CoChairViewAsync(db, seen.Designation, access.Today, cancellationToken)
            : await DesignationReader.AssignedViewAsync(db, seen.Designation, seen.Assignment!, await access.AssignedObligationsAsync(seen, cancellationToken),
                access.Today, cancellationToken);
    }
}

internal static class GetDesignationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(FollowUpRoutes.Designation, async (Guid did, IMediator mediator, CancellationToken ct) => Results.Ok(await mediator.Send(new GetDesignation(did), ct)))
            .WithName("GetDesignation")
            .Audit("designation.read", AuditOperation.Consultation, "designation", "did")
            .PersonalData().RequireJustification()
            .WithSummary("A designation: everything for the co-chairs; for an assigned service, the identity, release date, its obligations and its own observations (DES-5)")
            .Produces<DesignationDto>()
            .Produces<AssignedDesignationDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowFollowUpRead();
}
