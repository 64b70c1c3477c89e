namespace EtatMajor.Modules.PenalPolicy.Features.ListOpinions;

internal sealed record ListOpinions(Guid InstanceId, int? Year, int? Limit, string? Cursor) : IQuery<Page<OpinionDto>>, INotADisclosure;

internal sealed class ListOpinionsValidator : IValidator<ListOpinions>
{
    public void Validate(ListOpinions request, ValidationErrors errors)
    {
        if (request.Year is not (null or (>= 2000 and <= 2100)))
        {
            errors.Add("year", "a year (2000 to 2100): the opinions adopted in the meetings of that year");
        }
        PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsDate);
    }
}

/// <summary>OPN-1: the opinions of an instance, for its members that acknowledged the règlement in force (CONF-4), by the year of the meeting that adopted them, in the order of adoption.</summary>
internal sealed class ListOpinionsHandler(PenalPolicyAccess access, IDbSession db) : IRequestHandler<ListOpinions, Page<OpinionDto>>
{
    internal static class Sql
    {
        public const string OfInstance =
            $"SELECT id AS {nameof(OpinionRow.Id)}, instance_id AS {nameof(OpinionRow.InstanceId)}, measure AS {nameof(OpinionRow.Measure)}, " +
            $"period_from AS {nameof(OpinionRow.PeriodFrom)}, period_to AS {nameof(OpinionRow.PeriodTo)}, opinion AS {nameof(OpinionRow.Opinion)}, " +
            $"meeting_id AS {nameof(OpinionRow.MeetingId)}, adopted_on AS {nameof(OpinionRow.AdoptedOn)}, catalogue_version AS {nameof(OpinionRow.CatalogueVersion)}, " +
            $"recorded_by AS {nameof(OpinionRow.RecordedBy)}, recorded_at AS {nameof(OpinionRow.RecordedAt)} " +
            "FROM pp_opinions WHERE instance_id = @InstanceId AND (@From IS NULL OR (adopted_on >= @From AND adopted_on < @To)) " +
            "AND (@AfterDay IS NULL OR adopted_on > @AfterDay OR (adopted_on = @AfterDay AND id > @AfterId)) ORDER BY adopted_on, id LIMIT @Take";
    }

    internal sealed class OpinionRow
    {
        public Guid Id { get; init; }
        public Guid InstanceId { get; init; }
        public string Measure { get; init; } = "";
        public DateOnly PeriodFrom { get; init; }
        public DateOnly PeriodTo { get; init; }
        public string Opinion { get; init; } = "";
        public Guid MeetingId { get; init; }
        public DateOnly AdoptedOn { get; init; }
        public string CatalogueVersion { get; init; } = "";
        public Guid RecordedBy { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
    }

    public async Task<Page<OpinionDto>> Handle(ListOpinions request, CancellationToken cancellationToken)
    {
        await access.ReaderOfDeliveriesAsync(request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterDay, afterId) = Keyset.Date(page.After);
        DateOnly? from = request.Year is { } year ? new DateOnly(year, 1, 1) : null;
        var rows = await db.QueryAsync<OpinionRow>(Sql.OfInstance, new
        {
            request.InstanceId, From = from, To = from?.AddYears(1), AfterDay = afterDay, AfterId = afterId, page.Take,
        }, cancellationToken);
        var dtos = rows.Select(r => new OpinionDto(r.Id, r.InstanceId, r.Measure, MeasureCatalogue.Find(r.Measure)?.Label ?? r.Measure, r.PeriodFrom, r.PeriodTo,
            r.Opinion, r.MeetingId, r.AdoptedOn, r.CatalogueVersion, r.RecordedBy, r.RecordedAt)).ToList();
        return page.ToPage(dtos, o => Keyset.Of(o.AdoptedOn, o.Id));
    }
}

internal static class ListOpinionsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/alternative-measure-opinions", (Guid id, int? year, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListOpinions(id, year, limit, cursor), ct))
            .WithName("ListAlternativeMeasureOpinions")
            .Audit("alternative-measure-opinion.list", AuditOperation.Consultation, "instance")
            .WithSummary("The instance's opinions on the art. 41-1 CPP measures, by the year of the meeting that adopted them (OPN-1); members that acknowledged the règlement in force")
            .Produces<Page<OpinionDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowPenalPolicy();
}
