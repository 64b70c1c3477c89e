namespace EtatMajor.Modules.Governance.Features.GetMember;

internal sealed record GetMember(Guid InstanceId, Guid OrganisationId) : IQuery<MemberDto>, INotADisclosure;

internal sealed class GetMemberHandler(InstanceAccess access) : IRequestHandler<GetMember, MemberDto>
{
    public async Task<MemberDto> Handle(GetMember request, CancellationToken cancellationToken)
    {
        await access.VisibleAsync(request.InstanceId, cancellationToken);
        var row = await access.MemberAsync(request.InstanceId, request.OrganisationId, cancellationToken);
        return row?.ToDto() ?? throw new NotFoundException("This organisation is not a member of the instance.");
    }
}

internal static class GetMemberEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/members/{organisationId:guid}", (Guid id, Guid organisationId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetMember(id, organisationId), ct))
            .WithName("GetMember")
            .Audit("member.read", AuditOperation.Consultation, "member", "id,organisationId")
            .WithSummary("One current member of an instance")
            .Produces<MemberDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembersAndAdministrators();
}
