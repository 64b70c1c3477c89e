namespace EtatMajor.Modules.Governance.Features.RecordMeeting;

internal sealed record RecordMeeting(
    Guid InstanceId, DateOnly? HeldOn, string[]? Themes, Guid[]? AttendeeOrganisationIds, GuestInput[]? Guests) : ICommand<MeetingDto>, INotADisclosure;

internal sealed record RecordMeetingBody(DateOnly? HeldOn, string[]? Themes, Guid[]? AttendeeOrganisationIds, GuestInput[]? Guests);

internal sealed class RecordMeetingValidator : IValidator<RecordMeeting>
{
    public const int MaxThemes = 20;
    public const int MaxAttendees = 100;
    public const int MaxGuests = 50;

    /// <summary>Issue 14: `0001-01-01` was accepted. The EMS and the CCOFSI date from 2009–2012; a margin before that.</summary>
    private static readonly DateOnly EarliestMeeting = new(2000, 1, 1);

    public void Validate(RecordMeeting request, ValidationErrors errors)
    {
        if (request.HeldOn is null)
        {
            errors.Add("heldOn", "is required (a date, such as 2026-03-14)");
        }
        else if (request.HeldOn < EarliestMeeting)
        {
            errors.Add("heldOn", $"must be on or after {EarliestMeeting:yyyy-MM-dd}: these bodies date from 2009–2012, an earlier date is a typing error");
        }
        var themes = request.Themes ?? [];
        if (themes.Length > MaxThemes)
        {
            errors.Add("themes", $"at most {MaxThemes}");
        }
        for (var i = 0; i < Math.Min(themes.Length, MaxThemes); i++)
        {
            errors.Required($"themes[{i}]", themes[i], 200);
        }
        var attendees = request.AttendeeOrganisationIds ?? [];
        if (attendees.Length > MaxAttendees)
        {
            errors.Add("attendeeOrganisationIds", $"at most {MaxAttendees}");
        }
        if (attendees.Distinct().Count() != attendees.Length)
        {
            errors.Add("attendeeOrganisationIds", "lists an organisation twice");
        }
        var guests = request.Guests ?? [];
        if (guests.Length > MaxGuests)
        {
            errors.Add("guests", $"at most {MaxGuests}");
        }
        for (var i = 0; i < Math.Min(guests.Length, MaxGuests); i++)
        {
            if (guests[i] is null)
            {
                errors.Add($"guests[{i}]", "is required: an object with name and category");
                continue;
            }
            errors.Required($"guests[{i}].name", guests[i].Name, 200);
            if (guests[i].Category is null)
            {
                errors.Add($"guests[{i}].category", "is required: bailleur-social, transporteur-public or other");
            }
        }
    }
}

internal sealed class RecordMeetingHandler(InstanceAccess access, IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RecordMeeting, MeetingDto>
{
    internal static class Sql
    {
        public const string Insert =
            "INSERT INTO gov_meetings (id, instance_id, held_on, minutes, version, recorded_by_organisation_id, recorded_at) " +
            "VALUES (@Id, @InstanceId, @HeldOn, NULL, 1, @RecordedBy, @RecordedAt)";
        public const string InsertTheme = "INSERT INTO gov_meeting_themes (meeting_id, position, theme) VALUES (@MeetingId, @Position, @Theme)";
        public const string InsertAttendee = "INSERT INTO gov_meeting_attendees (meeting_id, organisation_id) VALUES (@MeetingId, @OrganisationId)";
        public const string InsertGuest =
            "INSERT INTO gov_meeting_guests (meeting_id, position, name, category, organisation_id) VALUES (@MeetingId, @Position, @Name, @Category, @OrganisationId)";
    }

    public async Task<MeetingDto> Handle(RecordMeeting request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        if (request.HeldOn > LegalCalendar.Today(clock))
        {
            throw new UnprocessableException("heldOn", "A meeting is recorded once it has been held: this date is in the future.") { Rule = LegalRules.Meet1 };
        }
        var attendees = request.AttendeeOrganisationIds ?? [];
        var notMembers = new List<Guid>();
        foreach (var organisationId in attendees)
        {
            if (await access.MemberAsync(request.InstanceId, organisationId, cancellationToken) is null
                && await db.QuerySingleOrDefaultAsync<ParticipantRow>(ParticipantSql.One, new { request.InstanceId, OrganisationId = organisationId }, cancellationToken) is null)
            {
                notMembers.Add(organisationId);
            }
        }
        if (notMembers.Count > 0)
        {
            throw new RuleViolationException(LegalRules.Comp5,
                "Attendees are the members and, for an EMS, the participants of its steering meetings; anyone else attends as a guest of this meeting (guests), never as a member.",
                new Dictionary<string, object?> { ["field"] = "attendeeOrganisationIds", ["notMembers"] = notMembers });
        }
        var guests = request.Guests ?? [];
        foreach (var guest in guests.Where(g => g.OrganisationId is not null))
        {
            if (await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = guest.OrganisationId }, cancellationToken) is null)
            {
                throw new UnprocessableException("guests", $"No organisation has the id {guest.OrganisationId}.");
            }
        }

        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(Sql.Insert, new
        {
            Id = id, request.InstanceId, HeldOn = request.HeldOn!.Value, RecordedBy = caller.OrganisationId, RecordedAt = clock.Instant(),
        }, cancellationToken);
        var themes = request.Themes ?? [];
        for (var i = 0; i < themes.Length; i++)
        {
            await db.ExecuteAsync(Sql.InsertTheme, new { MeetingId = id, Position = i, Theme = themes[i].Trim() }, cancellationToken);
        }
        foreach (var organisationId in attendees)
        {
            await db.ExecuteAsync(Sql.InsertAttendee, new { MeetingId = id, OrganisationId = organisationId }, cancellationToken);
        }
        // COMP-5: a guest is recorded for this meeting only; nothing makes it a member.
        for (var i = 0; i < guests.Length; i++)
        {
            await db.ExecuteAsync(Sql.InsertGuest, new
            {
                MeetingId = id, Position = i, Name = guests[i].Name!.Trim(), Category = guests[i].Category!.Value.ToKebab(), guests[i].OrganisationId,
            }, cancellationToken);
        }
        return await MeetingReader.ReadAsync(db, request.InstanceId, id, coChair: true, cancellationToken);
    }
}

internal static class RecordMeetingEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(MeetingRoutes.Base, async (Guid id, RecordMeetingBody body, IMediator mediator, CancellationToken ct) =>
            {
                var meeting = await mediator.Send(new RecordMeeting(id, body.HeldOn, body.Themes, body.AttendeeOrganisationIds, body.Guests), ct);
                return Results.Created($"/api/v1/instances/{id}/meetings/{meeting.Id}", meeting);
            })
            .ETagged()
            .WithName("RecordMeeting")
            .Audit("meeting.create", AuditOperation.Collection, "meeting", null, related: "id")
            .WithSummary("A co-chair records a held meeting: attendees are members and participants; guests attend this meeting only (COMP-5)")
            .Produces<MeetingDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowCoChairs();
}
