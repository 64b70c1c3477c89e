namespace EtatMajor.Modules.Governance.Features.UpdateMinutes;

internal sealed record MinutesBody(string? Text);

/// <summary>
/// Minutes are a disclosure to the members of the instance (version 2): their text goes through the policy step,
/// and CONF-2 applies to it in full — a piece of procedure in the minutes is refused, a mention (or what cannot be
/// read) keeps them for a procureur co-chair's review. `IfMatch` is the raw If-Match header (required by the
/// endpoint's `.Versioned()`): it must name the current version (412).
/// </summary>
internal sealed record UpdateMinutes(Guid InstanceId, Guid MeetingId, string? Text, string? IfMatch) : ICommand<MeetingDto>, IDisclosure
{
    public string Kind => DisclosureKinds.Minutes;

    /// <summary>Nobody in particular: the members read the minutes, their membership checked at each reading.</summary>
    public IReadOnlyCollection<Guid> RecipientOrganisationIds => [];

    public DisclosedContent Content => new([new DisclosedText("minutes", Text ?? "")], []);

    public bool MayBeHeld => true;
}

internal sealed class UpdateMinutesValidator : IValidator<UpdateMinutes>
{
    public const int MaxLength = 100_000;

    public void Validate(UpdateMinutes request, ValidationErrors errors) => errors.Required("text", request.Text, MaxLength);
}

internal sealed class UpdateMinutesHandler(InstanceAccess access, IDbSession db, IPolicyOutcome outcome) : IRequestHandler<UpdateMinutes, MeetingDto>
{
    internal static class Sql
    {
        public const string UpdateMinutes =
            "UPDATE gov_meetings SET minutes = @Minutes, minutes_status = @Status, minutes_holds = @Holds, minutes_reviewed_by_organisation_id = NULL, " +
            "minutes_reviewed_at = NULL, version = version + 1 WHERE instance_id = @InstanceId AND id = @Id AND version = @Version";
    }

    public async Task<MeetingDto> Handle(UpdateMinutes request, CancellationToken cancellationToken)
    {
        await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        var current = await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, coChair: true, cancellationToken);
        EntityTags.Require(request.IfMatch, current.Version, "meeting");
        var holds = outcome.Decision?.Held == true ? outcome.Decision.Holds : null;
        var changed = await db.ExecuteAsync(Sql.UpdateMinutes, new
        {
            request.InstanceId, Id = request.MeetingId, Minutes = request.Text, current.Version,
            Status = (holds is null ? MinutesStatus.Published : MinutesStatus.HeldForReview).ToKebab(), Holds = HoldReasons.Write(holds),
        }, cancellationToken);
        if (changed != 1)
        {
            throw new PreconditionException(412, "The meeting changed meanwhile: read it again.");
        }
        return await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, coChair: true, cancellationToken);
    }
}

internal static class UpdateMinutesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut(MeetingRoutes.Base + "/{meetingId:guid}/minutes", async (Guid id, Guid meetingId, MinutesBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var meeting = await mediator.Send(new UpdateMinutes(id, meetingId, body.Text, http.Request.Headers.IfMatch.ToString()), ct);
                return meeting.MinutesStatus == MinutesStatus.HeldForReview ? Results.Accepted(null as string, meeting) : Results.Ok(meeting);
            })
            .WithName("UpdateMinutes")
            .Audit("meeting.minutes", AuditOperation.Modification, "meeting", "meetingId", related: "id")
            .StoresPersonalData().RequireJustification()
            .WithSummary("A co-chair writes the minutes, with If-Match: the meeting's ETag (428 without, 412 when stale); CONF-2 applies: 403 for a piece of procedure, 202 when held for a procureur's review")
            .Produces<MeetingDto>()
            .Produces<MeetingDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .Versioned()
            .AllowCoChairs();
}
