namespace EtatMajor.Modules.Governance.Features.UpdateMinutes;

internal sealed record MinutesBody(string? Text);

/// <summary>`IfMatch` is the raw If-Match header (required by the endpoint's `.Versioned()`): it must name the current version (412).</summary>
internal sealed record UpdateMinutes(Guid InstanceId, Guid MeetingId, string? Text, string? IfMatch) : ICommand<MeetingDto>, INotADisclosure;

internal sealed class UpdateMinutesValidator : IValidator<UpdateMinutes>
{
    public const int MaxLength = 100_000;

    public void Validate(UpdateMinutes request, ValidationErrors errors) => errors.Required("text", request.Text, MaxLength);
}

internal sealed class UpdateMinutesHandler(InstanceAccess access, IDbSession db) : IRequestHandler<UpdateMinutes, MeetingDto>
{
    internal static class Sql
    {
        public const string UpdateMinutes =
            "UPDATE gov_meetings SET minutes = @Minutes, version = version + 1 WHERE instance_id = @InstanceId AND id = @Id AND version = @Version";
    }

    public async Task<MeetingDto> Handle(UpdateMinutes request, CancellationToken cancellationToken)
    {
        await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        var current = await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, cancellationToken);
        if (request.IfMatch != current.ETag)
        {
            throw new PreconditionException(412, $"The meeting changed since you read it (now {current.ETag}): read it again.");
        }
        var changed = await db.ExecuteAsync(Sql.UpdateMinutes,
            new { request.InstanceId, Id = request.MeetingId, Minutes = request.Text, current.Version }, cancellationToken);
        if (changed != 1)
        {
            throw new PreconditionException(412, "The meeting changed meanwhile: read it again.");
        }
        return await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, cancellationToken);
    }
}
internal static class UpdateMinutesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut(MeetingRoutes.Base + "/{meetingId:guid}/minutes", async (Guid id, Guid meetingId, MinutesBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var meeting = await mediator.Send(new UpdateMinutes(id, meetingId, body.Text, http.Request.Headers.IfMatch.ToString()), ct);
                http.Response.Headers.ETag = meeting.ETag;
                return meeting;
            })
            .WithName("UpdateMinutes")
            .Audit("meeting.minutes", AuditOperation.Modification, "meeting", "meetingId")
            .StoresPersonalData().RequireJustification()
            .WithSummary("A co-chair writes the minutes, with If-Match: the meeting's ETag (428 without, 412 when stale)")
            .Produces<MeetingDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .Versioned()
            .AllowCoChairs();
}
