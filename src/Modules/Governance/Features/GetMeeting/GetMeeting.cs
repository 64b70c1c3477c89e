namespace EtatMajor.Modules.Governance.Features.GetMeeting;

internal sealed record GetMeeting(Guid InstanceId, Guid MeetingId) : IQuery<MeetingDto>, INotADisclosure;

internal sealed class GetMeetingHandler(InstanceAccess access, IDbSession db) : IRequestHandler<GetMeeting, MeetingDto>
{
    public async Task<MeetingDto> Handle(GetMeeting request, CancellationToken cancellationToken)
    {
        var instance = await access.AsMemberAsync(request.InstanceId, cancellationToken);
        return await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, instance.CallerRole == MemberRole.CoChair.ToKebab(), cancellationToken);
    }
}

internal static class GetMeetingEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(MeetingRoutes.Base + "/{meetingId:guid}", (Guid id, Guid meetingId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetMeeting(id, meetingId), ct))
            .ETagged()
            .WithName("GetMeeting")
            .Audit("meeting.read", AuditOperation.Consultation, "meeting", "meetingId")
            .PersonalData().RequireJustification()
            .WithSummary("One meeting with its minutes; the ETag header is what If-Match needs to change the minutes")
            .Produces<MeetingDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();
}
