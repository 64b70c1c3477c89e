namespace EtatMajor.Modules.Governance.Domain;

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

/// <summary>Where the minutes stand (CONF-2): published to the members, or held for a procureur co-chair's review.</summary>
internal enum MinutesStatus
{
    Published,
    HeldForReview,
}

/// <summary>
/// A meeting. `Minutes` is null until written — and, while they are held for review, for the members who are not
/// co-chairs; `MinutesHolds` (why they are held) is shown to the co-chairs only.
/// </summary>
internal sealed record MeetingDto(
    Guid Id, Guid InstanceId, DateOnly HeldOn, IReadOnlyList<string> Themes, IReadOnlyList<AttendeeDto> Attendees,
    IReadOnlyList<GuestDto> Guests, string? Minutes, int Version, DateTimeOffset RecordedAt, MinutesStatus? MinutesStatus = null,
    IReadOnlyList<Violation>? MinutesHolds = null) : ICreatedResource, IVersionedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();

    /// <summary>The entity tag of a meeting: its version, for If-Match on the minutes.</summary>
    public string ETag => EntityTags.Of(Version);
}

internal sealed class MeetingRow
{
    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public DateOnly HeldOn { get; init; }
    public string? Minutes { get; init; }
    public int Version { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string? MinutesStatus { get; init; }
    public string? MinutesHolds { get; init; }
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

internal static class MeetingRoutes
{
    public const string Base = "/api/v1/instances/{id:guid}/meetings";
}

internal static class MeetingSql
{
    /// <summary>The days of an instance's meetings held in [@From, @To): the cadence (MEET-1) and the DNO report (MEET-2) count them.</summary>
    public const string HeldOnBetween = "SELECT held_on FROM gov_meetings WHERE instance_id = @InstanceId AND held_on >= @From AND held_on < @To";

    public const string One =
        $"SELECT id AS {nameof(MeetingRow.Id)}, instance_id AS {nameof(MeetingRow.InstanceId)}, held_on AS {nameof(MeetingRow.HeldOn)}, " +
        $"minutes AS {nameof(MeetingRow.Minutes)}, version AS {nameof(MeetingRow.Version)}, recorded_at AS {nameof(MeetingRow.RecordedAt)}, " +
        $"minutes_status AS {nameof(MeetingRow.MinutesStatus)}, minutes_holds AS {nameof(MeetingRow.MinutesHolds)} " +
        "FROM gov_meetings WHERE instance_id = @InstanceId AND id = @Id";
    public const string Themes = "SELECT theme FROM gov_meeting_themes WHERE meeting_id = @Id ORDER BY position";
    public const string Attendees =
        $"SELECT o.id AS {nameof(AttendeeRow.OrganisationId)}, o.code AS {nameof(AttendeeRow.Code)}, o.name AS {nameof(AttendeeRow.Name)}, " +
        $"o.kind AS {nameof(AttendeeRow.Kind)} FROM gov_meeting_attendees a JOIN gov_organisations o ON o.id = a.organisation_id " +
        "WHERE a.meeting_id = @Id ORDER BY o.code";
    public const string Guests =
        $"SELECT name AS {nameof(GuestRow.Name)}, category AS {nameof(GuestRow.Category)}, organisation_id AS {nameof(GuestRow.OrganisationId)} " +
        "FROM gov_meeting_guests WHERE meeting_id = @Id ORDER BY position";
}

internal static class MeetingReader
{
    /// <summary>A meeting as the caller may read it: held minutes are for the co-chairs (<paramref name="coChair"/>) only.</summary>
    public static async Task<MeetingDto> ReadAsync(IDbSession db, Guid instanceId, Guid id, bool coChair, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<MeetingRow>(MeetingSql.One, new { InstanceId = instanceId, Id = id }, cancellationToken)
            ?? throw new NotFoundException("No such meeting.");
        var themes = await db.QueryAsync<string>(MeetingSql.Themes, new { Id = id }, cancellationToken);
        var attendees = await db.QueryAsync<AttendeeRow>(MeetingSql.Attendees, new { Id = id }, cancellationToken);
        var guests = await db.QueryAsync<GuestRow>(MeetingSql.Guests, new { Id = id }, cancellationToken);
        return new MeetingDto(row.Id, row.InstanceId, row.HeldOn, themes,
            attendees.Select(a => new AttendeeDto(a.OrganisationId, a.Code, a.Name, Kebab.Parse<OrganisationKind>(a.Kind))).ToList(),
            guests.Select(g => new GuestDto(g.Name, Kebab.Parse<GuestCategory>(g.Category), g.OrganisationId)).ToList(),
            null, row.Version, row.RecordedAt) with
        {
            Minutes = row.MinutesStatus == Domain.MinutesStatus.HeldForReview.ToKebab() && !coChair ? null : row.Minutes,
            MinutesStatus = row.MinutesStatus is null ? null : Kebab.Parse<MinutesStatus>(row.MinutesStatus),
            MinutesHolds = coChair ? HoldReasons.Read(row.MinutesHolds) : null,
        };
    }
}

internal static class Months
{
    public static string Name(int year, int month) => $"{year:0000}-{month:00}";

    /// <summary>The held meetings of each month of [from, to), by month name.</summary>
    public static Dictionary<string, int> Count(IEnumerable<DateOnly> heldOn) =>
        heldOn.GroupBy(d => Name(d.Year, d.Month)).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The months of a period up to the current one (none for a period still to come).</summary>
    public static IEnumerable<(int Year, int Month, bool InProgress)> UpTo(DateOnly first, DateOnly endExclusive, DateOnly today)
    {
        for (var month = first; month < endExclusive && month <= today; month = month.AddMonths(1))
        {
            yield return (month.Year, month.Month, month.Year == today.Year && month.Month == today.Month);
        }
    }
}
