namespace EtatMajor.Modules.Governance.Features.GetInstance;

internal sealed record GetInstance(Guid Id) : IQuery<InstanceDto>, INotADisclosure;

internal sealed class GetInstanceHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<GetInstance, InstanceDto>
{
    public async Task<InstanceDto> Handle(GetInstance request, CancellationToken cancellationToken)
    {
        var row = await InstanceAccess.VisibleAsync(db, callers.Required, request.Id, cancellationToken);
        return await InstanceAccess.ToDetailAsync(db, row, cancellationToken);
    }
}

internal static class GetInstanceEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetInstance(id), ct))
            .WithName("GetInstance")
            .Audit("instance.read", AuditOperation.Consultation, "instance")
            .WithSummary("Read an instance (members and administrators; 404 for anyone else)")
            .Produces<InstanceDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembersAndAdministrators();
}
