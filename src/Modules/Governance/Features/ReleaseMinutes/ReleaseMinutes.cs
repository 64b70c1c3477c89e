namespace EtatMajor.Modules.Governance.Features.ReleaseMinutes;

/// <summary>
/// CONF-2: a procureur co-chairing the instance, having read minutes held for review, publishes them to the members.
/// (To change them instead, a co-chair writes them again: the new text is decided again.) `IfMatch` names the version
/// the procureur read: minutes rewritten since (held again, unread) are not released in their place (412).
/// </summary>
internal sealed record ReleaseMinutes(Guid InstanceId, Guid MeetingId, string? IfMatch) : ICommand<MeetingDto>, INotADisclosure;

internal sealed class ReleaseMinutesHandler(InstanceAccess access, IDbSession db, ICallerAccessor callers) : IRequestHandler<ReleaseMinutes, MeetingDto>
{
    internal static class Sql
    {
        public const string Release =
            "UPDATE gov_meetings SET minutes_status = 'published', minutes_holds = NULL, minutes_reviewed_by_organisation_id = @ReviewedBy, " +
            "minutes_reviewed_at = @ReviewedAt, version = version + 1 WHERE instance_id = @InstanceId AND id = @Id AND minutes_status = 'held-for-review' AND version = @Version";
        public const string KindOfCaller = "SELECT kind FROM gov_organisations WHERE id = @Id";
    }

    public async Task<MeetingDto> Handle(ReleaseMinutes request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        if (await db.QuerySingleOrDefaultAsync<string>(Sql.KindOfCaller, new { Id = caller.OrganisationId }, cancellationToken) != OrganisationKind.Procureur.ToKebab())
        {
            throw new ForbiddenException("Minutes held for review are released by a procureur co-chairing the instance.") { Rule = LegalRules.Conf2 };
        }
        var current = await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, coChair: true, cancellationToken);
        if (current.MinutesStatus != MinutesStatus.HeldForReview)
        {
            throw new ConflictException("These minutes are not held for review.");
        }
        EntityTags.Require(request.IfMatch, current.Version, "meeting");
        if (await db.ExecuteAsync(Sql.Release, new
                {
                    request.InstanceId, Id = request.MeetingId, ReviewedBy = caller.OrganisationId, ReviewedAt = access.Now, current.Version,
                },
                cancellationToken) != 1)
        {
            throw new PreconditionException(412, "The meeting changed meanwhile: read it again.");
        }
        return await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, coChair: true, cancellationToken);
    }
}

internal static class ReleaseMinutesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(MeetingRoutes.Base + "/{meetingId:guid}/minutes/release", (Guid id, Guid meetingId, IMediator mediator, HttpContext http, CancellationToken ct) =>
                mediator.Send(new ReleaseMinutes(id, meetingId, http.Request.Headers.IfMatch.ToString()), ct))
            .WithName("ReleaseMinutes")
            .Audit("meeting.minutes-release", AuditOperation.Communication, "meeting", "meetingId", related: "id")
            .StoresPersonalData().RequireJustification()
            .WithSummary("A procureur co-chairing the instance publishes minutes held for review to the members (CONF-2), with If-Match: the ETag of the version read (428 without, 412 when rewritten since)")
            .Produces<MeetingDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .Versioned()
            .AllowCoChairs();
}
