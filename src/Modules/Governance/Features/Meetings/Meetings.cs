using EtatMajor.Modules.Governance.Domain;
using EtatMajor.Modules.Governance.Features.Instances;
using EtatMajor.Modules.Governance.Features.Members;
using EtatMajor.Modules.Governance.Features.Organisations;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Law;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;

namespace EtatMajor.Modules.Governance.Features.Meetings;

internal enum GuestCategory
{
    BailleurSocial,
    TransporteurPublic,
    Other,
}

internal sealed record GuestInput(string? Name, GuestCategory? Category, Guid? OrganisationId);

internal sealed record GuestDto(string Name, GuestCategory Category, Guid? OrganisationId);

internal sealed record AttendeeDto(Guid OrganisationId, string Code, string Name, OrganisationKind Kind);

internal sealed record MeetingSummaryDto(Guid Id, DateOnly HeldOn, IReadOnlyList<string> Themes, int Version);

internal sealed record MeetingDto(
    Guid Id, Guid InstanceId, DateOnly HeldOn, IReadOnlyList<string> Themes, IReadOnlyList<AttendeeDto> Attendees,
    IReadOnlyList<GuestDto> Guests, string? Minutes, int Version, DateTimeOffset RecordedAt)
{
    /// <summary>The entity tag of a meeting: its version, for If-Match on the minutes.</summary>
    public string ETag => $"\"v{Version}\"";
}

internal sealed class MeetingRow
{
    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public DateOnly HeldOn { get; init; }
    public string? Minutes { get; init; }
    public int Version { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

internal sealed class ThemeRow
{
    public Guid MeetingId { get; init; }
    public string Theme { get; init; } = "";
}

internal sealed class GuestRow
{
    public string Name { get; init; } = "";
    public string Category { get; init; } = "";
    public Guid? OrganisationId { get; init; }
}

internal sealed class AttendeeRow
{
    public Guid OrganisationId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
}

internal static class MeetingSql
{
    public const string One =
        $"SELECT id AS {nameof(MeetingRow.Id)}, instance_id AS {nameof(MeetingRow.InstanceId)}, held_on AS {nameof(MeetingRow.HeldOn)}, " +
        $"minutes AS {nameof(MeetingRow.Minutes)}, version AS {nameof(MeetingRow.Version)}, recorded_at AS {nameof(MeetingRow.RecordedAt)} " +
        "FROM gov_meetings WHERE instance_id = @InstanceId AND id = @Id";
    public const string OfYear =
        $"SELECT id AS {nameof(MeetingRow.Id)}, instance_id AS {nameof(MeetingRow.InstanceId)}, held_on AS {nameof(MeetingRow.HeldOn)}, " +
        $"version AS {nameof(MeetingRow.Version)}, recorded_at AS {nameof(MeetingRow.RecordedAt)} " +
        "FROM gov_meetings WHERE instance_id = @InstanceId AND held_on >= @From AND held_on < @To " +
        "AND (@AfterDay IS NULL OR held_on > @AfterDay OR (held_on = @AfterDay AND id > @AfterId)) ORDER BY held_on, id LIMIT @Take";
    public const string Themes = "SELECT theme FROM gov_meeting_themes WHERE meeting_id = @Id ORDER BY position";
    /// <summary>The themes of an instance's meetings held between two dates (a page of the list), in one query.</summary>
    public const string ThemesBetween =
        $"SELECT t.meeting_id AS {nameof(ThemeRow.MeetingId)}, t.theme AS {nameof(ThemeRow.Theme)} FROM gov_meeting_themes t " +
        "JOIN gov_meetings m ON m.id = t.meeting_id WHERE m.instance_id = @InstanceId AND m.held_on >= @First AND m.held_on <= @Last " +
        "ORDER BY t.meeting_id, t.position";
    public const string Attendees =
        $"SELECT o.id AS {nameof(AttendeeRow.OrganisationId)}, o.code AS {nameof(AttendeeRow.Code)}, o.name AS {nameof(AttendeeRow.Name)}, " +
        $"o.kind AS {nameof(AttendeeRow.Kind)} FROM gov_meeting_attendees a JOIN gov_organisations o ON o.id = a.organisation_id " +
        "WHERE a.meeting_id = @Id ORDER BY o.code";
    public const string Guests =
        $"SELECT name AS {nameof(GuestRow.Name)}, category AS {nameof(GuestRow.Category)}, organisation_id AS {nameof(GuestRow.OrganisationId)} " +
        "FROM gov_meeting_guests WHERE meeting_id = @Id ORDER BY position";
    public const string Insert =
        "INSERT INTO gov_meetings (id, instance_id, held_on, minutes, version, recorded_by_organisation_id, recorded_at) " +
        "VALUES (@Id, @InstanceId, @HeldOn, NULL, 1, @RecordedBy, @RecordedAt)";
    public const string InsertTheme = "INSERT INTO gov_meeting_themes (meeting_id, position, theme) VALUES (@MeetingId, @Position, @Theme)";
    public const string InsertAttendee = "INSERT INTO gov_meeting_attendees (meeting_id, organisation_id) VALUES (@MeetingId, @OrganisationId)";
    public const string InsertGuest =
        "INSERT INTO gov_meeting_guests (meeting_id, position, name, category, organisation_id) VALUES (@MeetingId, @Position, @Name, @Category, @OrganisationId)";
    public const string UpdateMinutes =
        "UPDATE gov_meetings SET minutes = @Minutes, version = version + 1 WHERE instance_id = @InstanceId AND id = @Id AND version = @Version";
}

internal static class MeetingReader
{
    public static async Task<MeetingDto> ReadAsync(IDbSession db, Guid instanceId, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<MeetingRow>(MeetingSql.One, new { InstanceId = instanceId, Id = id }, cancellationToken)
            ?? throw new NotFoundException("No such meeting.");
        var themes = await db.QueryAsync<string>(MeetingSql.Themes, new { Id = id }, cancellationToken);
        var attendees = await db.QueryAsync<AttendeeRow>(MeetingSql.Attendees, new { Id = id }, cancellationToken);
        var guests = await db.QueryAsync<GuestRow>(MeetingSql.Guests, new { Id = id }, cancellationToken);
        return new MeetingDto(row.Id, row.InstanceId, row.HeldOn, themes,
            attendees.Select(a => new AttendeeDto(a.OrganisationId, a.Code, a.Name, Kebab.Parse<OrganisationKind>(a.Kind))).ToList(),
            guests.Select(g => new GuestDto(g.Name, Kebab.Parse<GuestCategory>(g.Category), g.OrganisationId)).ToList(),
            row.Minutes, row.Version, row.RecordedAt);
    }
}

internal sealed record RecordMeeting(
    Guid InstanceId, DateOnly? HeldOn, string[]? Themes, Guid[]? AttendeeOrganisationIds, GuestInput[]? Guests) : ICommand<MeetingDto>;

internal sealed record RecordMeetingBody(DateOnly? HeldOn, string[]? Themes, Guid[]? AttendeeOrganisationIds, GuestInput[]? Guests);

internal sealed class RecordMeetingValidator : IValidator<RecordMeeting>
{
    public const int MaxThemes = 20;
    public const int MaxAttendees = 100;
    public const int MaxGuests = 50;

    public void Validate(RecordMeeting request, ValidationErrors errors)
    {
        if (request.HeldOn is null)
        {
            errors.Add("heldOn", "is required (a date, such as 2026-03-14)");
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

internal sealed class RecordMeetingHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RecordMeeting, MeetingDto>
{
    public async Task<MeetingDto> Handle(RecordMeeting request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await InstanceAccess.AsCoChairAsync(db, caller, request.InstanceId, cancellationToken);
        if (request.HeldOn > LegalCalendar.Today(clock))
        {
            throw new UnprocessableException("heldOn", "A meeting is recorded once it has been held: this date is in the future.") { Rule = LegalRules.Meet1 };
        }
        var attendees = request.AttendeeOrganisationIds ?? [];
        var notMembers = new List<Guid>();
        foreach (var organisationId in attendees)
        {
            if (await db.QuerySingleOrDefaultAsync<MemberRow>(MemberSql.One, new { request.InstanceId, OrganisationId = organisationId }, cancellationToken) is null)
            {
                notMembers.Add(organisationId);
            }
        }
        if (notMembers.Count > 0)
        {
            throw new RuleViolationException(LegalRules.Comp5,
                "Attendees are members of the instance; anyone else attends as a guest of this meeting (guests), never as a member.",
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
        await db.ExecuteAsync(MeetingSql.Insert, new
        {
            Id = id, request.InstanceId, HeldOn = request.HeldOn!.Value, RecordedBy = caller.OrganisationId, RecordedAt = clock.Instant(),
        }, cancellationToken);
        var themes = request.Themes ?? [];
        for (var i = 0; i < themes.Length; i++)
        {
            await db.ExecuteAsync(MeetingSql.InsertTheme, new { MeetingId = id, Position = i, Theme = themes[i].Trim() }, cancellationToken);
        }
        foreach (var organisationId in attendees)
        {
            await db.ExecuteAsync(MeetingSql.InsertAttendee, new { MeetingId = id, OrganisationId = organisationId }, cancellationToken);
        }
        // COMP-5: a guest is recorded for this meeting only; nothing makes it a member.
        for (var i = 0; i < guests.Length; i++)
        {
            await db.ExecuteAsync(MeetingSql.InsertGuest, new
            {
                MeetingId = id, Position = i, Name = guests[i].Name!.Trim(), Category = guests[i].Category!.Value.ToKebab(), guests[i].OrganisationId,
            }, cancellationToken);
        }
        return await MeetingReader.ReadAsync(db, request.InstanceId, id, cancellationToken);
    }
}

internal sealed record ListMeetings(Guid InstanceId, int? Year, int? Limit, string? Cursor) : IQuery<Page<MeetingSummaryDto>>;

internal sealed record GetMeeting(Guid InstanceId, Guid MeetingId) : IQuery<MeetingDto>;

internal sealed class ListMeetingsValidator : IValidator<ListMeetings>
{
    public void Validate(ListMeetings request, ValidationErrors errors)
    {
        if (request.Year is < 2000 or > 2100)
        {
            errors.Add("year", "a year between 2000 and 2100");
        }
        PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsDate);
    }
}

internal sealed class ListMeetingsHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<ListMeetings, Page<MeetingSummaryDto>>
{
    public async Task<Page<MeetingSummaryDto>> Handle(ListMeetings request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsMemberAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var year = request.Year ?? LegalCalendar.Today(clock).Year;
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterDay, afterId) = Keyset.Date(page.After);
        var rows = await db.QueryAsync<MeetingRow>(MeetingSql.OfYear, new
        {
            request.InstanceId, From = new DateOnly(year, 1, 1), To = new DateOnly(year + 1, 1, 1), AfterDay = afterDay, AfterId = afterId, page.Take,
        }, cancellationToken);
        // The themes of the whole page in one query (the page's meetings are those of its first to its last day).
        IReadOnlyList<ThemeRow> themeRows = rows.Count == 0 ? []
            : await db.QueryAsync<ThemeRow>(MeetingSql.ThemesBetween, new { request.InstanceId, First = rows[0].HeldOn, Last = rows[^1].HeldOn }, cancellationToken);
        var themes = themeRows.ToLookup(t => t.MeetingId, t => t.Theme);
        return page.ToPage(rows.Select(r => new MeetingSummaryDto(r.Id, r.HeldOn, themes[r.Id].ToList(), r.Version)).ToList(), m => Keyset.Of(m.HeldOn, m.Id));
    }
}

internal sealed class GetMeetingHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<GetMeeting, MeetingDto>
{
    public async Task<MeetingDto> Handle(GetMeeting request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsMemberAsync(db, callers.Required, request.InstanceId, cancellationToken);
        return await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, cancellationToken);
    }
}

internal sealed record MinutesBody(string? Text);

/// <summary>`IfMatch` is the raw If-Match header: required (428), and must name the current version (412).</summary>
internal sealed record UpdateMinutes(Guid InstanceId, Guid MeetingId, string? Text, string? IfMatch) : ICommand<MeetingDto>;

internal sealed class UpdateMinutesValidator : IValidator<UpdateMinutes>
{
    public const int MaxLength = 100_000;

    public void Validate(UpdateMinutes request, ValidationErrors errors) => errors.Required("text", request.Text, MaxLength);
}

internal sealed class UpdateMinutesHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<UpdateMinutes, MeetingDto>
{
    public async Task<MeetingDto> Handle(UpdateMinutes request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsCoChairAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var current = await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, cancellationToken);
        if (string.IsNullOrEmpty(request.IfMatch))
        {
            throw new PreconditionException(428, "If-Match is required: send the ETag of the meeting you read, so that no one's minutes are overwritten.");
        }
        if (request.IfMatch != current.ETag)
        {
            throw new PreconditionException(412, $"The meeting changed since you read it (now {current.ETag}): read it again.");
        }
        var changed = await db.ExecuteAsync(MeetingSql.UpdateMinutes,
            new { request.InstanceId, Id = request.MeetingId, Minutes = request.Text, current.Version }, cancellationToken);
        if (changed != 1)
        {
            throw new PreconditionException(412, "The meeting changed meanwhile: read it again.");
        }
        return await MeetingReader.ReadAsync(db, request.InstanceId, request.MeetingId, cancellationToken);
    }
}
