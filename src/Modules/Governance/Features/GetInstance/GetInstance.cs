namespace EtatMajor.Modules.Governance.Features.GetInstance;

internal sealed record GetInstance(Guid Id) : IQuery<InstanceDto>, INotADisclosure;

internal sealed class GetInstanceHandler(InstanceAccess access) : IRequestHandler<GetInstance, InstanceDto>
{
    public async Task<InstanceDto> Handle(GetInstance request, CancellationToken cancellationToken)
    {
        var row = await access.VisibleAsync(request.Id, cancellationToken);
        return await access.ToDetailAsync(row, cancellationToken);
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
