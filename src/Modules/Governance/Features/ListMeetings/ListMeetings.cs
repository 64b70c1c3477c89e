namespace EtatMajor.Modules.Governance.Features.ListMeetings;

internal sealed record ListMeetings(Guid InstanceId, int? Year, int? Limit, string? Cursor) : IQuery<Page<MeetingSummaryDto>>, INotADisclosure;

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

internal sealed class ListMeetingsHandler(InstanceAccess access, IDbSession db, TimeProvider clock) : IRequestHandler<ListMeetings, Page<MeetingSummaryDto>>
{
    internal static class Sql
    {
        public const string OfYear =
            $"SELECT id AS {nameof(MeetingRow.Id)}, instance_id AS {nameof(MeetingRow.InstanceId)}, held_on AS {nameof(MeetingRow.HeldOn)}, " +
            $"version AS {nameof(MeetingRow.Version)}, recorded_at AS {nameof(MeetingRow.RecordedAt)} " +
            "FROM gov_meetings WHERE instance_id = @InstanceId AND held_on >= @From AND held_on < @To " +
            "AND (@AfterDay IS NULL OR held_on > @AfterDay OR (held_on = @AfterDay AND id > @AfterId)) ORDER BY held_on, id LIMIT @Take";

        /// <summary>The themes of an instance's meetings held between two dates (a page of the list), in one query.</summary>
        public const string ThemesBetween =
            $"SELECT t.meeting_id AS {nameof(ThemeRow.MeetingId)}, t.theme AS {nameof(ThemeRow.Theme)} FROM gov_meeting_themes t " +
            "JOIN gov_meetings m ON m.id = t.meeting_id WHERE m.instance_id = @InstanceId AND m.held_on >= @First AND m.held_on <= @Last " +
            "ORDER BY t.meeting_id, t.position";
    }

    public async Task<Page<MeetingSummaryDto>> Handle(ListMeetings request, CancellationToken cancellationToken)
    {
        await access.AsMemberAsync(request.InstanceId, cancellationToken);
        var year = request.Year ?? LegalCalendar.Today(clock).Year;
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterDay, afterId) = Keyset.Date(page.After);
        var rows = await db.QueryAsync<MeetingRow>(Sql.OfYear, new
        {
            request.InstanceId, From = new DateOnly(year, 1, 1), To = new DateOnly(year + 1, 1, 1), AfterDay = afterDay, AfterId = afterId, page.Take,
        }, cancellationToken);
        // The themes of the whole page in one query (the page's meetings are those of its first to its last day).
        IReadOnlyList<ThemeRow> themeRows = rows.Count == 0 ? []
            : await db.QueryAsync<ThemeRow>(Sql.ThemesBetween, new { request.InstanceId, First = rows[0].HeldOn, Last = rows[^1].HeldOn }, cancellationToken);
        var themes = themeRows.ToLookup(t => t.MeetingId, t => t.Theme);
        return page.ToPage(rows.Select(r => new MeetingSummaryDto(r.Id, r.HeldOn, themes[r.Id].ToList(), r.Version)).ToList(), m => Keyset.Of(m.HeldOn, m.Id));
    }
}

internal static class ListMeetingsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(MeetingRoutes.Base, (Guid id, int? year, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListMeetings(id, year, limit, cursor), ct))
            .WithName("ListMeetings")
            .Audit("meeting.list", AuditOperation.Consultation, "instance")
            .WithSummary("The meetings of a year (the current one by default), in date order, for members (cursor pagination)")
            .Produces<Page<MeetingSummaryDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();
}
