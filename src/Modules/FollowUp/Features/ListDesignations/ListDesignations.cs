namespace EtatMajor.Modules.FollowUp.Features.ListDesignations;

/// <summary>
/// A line of the list. The co-chairs get every designation of the instance with its counts and review; an assigned
/// service only the designations it is currently assigned to (identity included: they are its own), without counts.
/// </summary>
internal sealed record DesignationSummaryDto(
    Guid Id, DesignationStatus Status, PersonDto? Person, DateOnly ReleasedOn, DateOnly? ReviewDueOn, bool ReviewOverdue, int? Obligations, int? Assignments,
    int? Observations, int? OpenIncidentReports, DateTimeOffset DesignatedAt);

internal sealed record ListDesignations(Guid InstanceId, bool? ReviewOverdue, int? Limit, string? Cursor) : IQuery<Page<DesignationSummaryDto>>, INotADisclosure;

internal sealed class ListDesignationsValidator : IValidator<ListDesignations>
{
    public void Validate(ListDesignations request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListDesignationsHandler(DesignationAccess access, IDbSession db, IMediator mediator)
    : IRequestHandler<ListDesignations, Page<DesignationSummaryDto>>
{
    internal sealed class SummaryRow
    {
        public Guid Id { get; init; }
        public string? LastName { get; init; }
        public string? FirstNames { get; init; }
        public DateOnly? BirthDate { get; init; }
        public DateOnly ReleasedOn { get; init; }
        public string Status { get; init; } = "";
        public DateOnly? ReviewDueOn { get; init; }
        public DateTimeOffset DesignatedAt { get; init; }
        public int Obligations { get; init; }
        public int Assignments { get; init; }
        public int Observations { get; init; }
        public int OpenIncidentReports { get; init; }
    }

    internal static class Sql
    {
        private const string Select =
            $"SELECT d.id AS {nameof(SummaryRow.Id)}, d.last_name AS {nameof(SummaryRow.LastName)}, d.first_names AS {nameof(SummaryRow.FirstNames)}, " +
            $"d.birth_date AS {nameof(SummaryRow.BirthDate)}, d.released_on AS {nameof(SummaryRow.ReleasedOn)}, d.status AS {nameof(SummaryRow.Status)}, " +
            $"d.review_due_on AS {nameof(SummaryRow.ReviewDueOn)}, d.designated_at AS {nameof(SummaryRow.DesignatedAt)}, " +
            $"(SELECT COUNT(*) FROM fu_obligations o WHERE o.designation_id = d.id) AS {nameof(SummaryRow.Obligations)}, " +
            $"(SELECT COUNT(*) FROM fu_assignments a WHERE a.designation_id = d.id AND {AssignmentSql.Current}) AS {nameof(SummaryRow.Assignments)}, " +
            $"(SELECT COUNT(*) FROM fu_observations b WHERE b.designation_id = d.id) AS {nameof(SummaryRow.Observations)}, " +
            $"(SELECT COUNT(*) FROM fu_incident_reports r WHERE r.designation_id = d.id AND r.acknowledged_on IS NULL) AS {nameof(SummaryRow.OpenIncidentReports)} " +
            "FROM fu_designations d ";

        private const string Page =
            "AND (@AfterAt IS NULL OR d.designated_at > @AfterAt OR (d.designated_at = @AfterAt AND d.id > @AfterId)) " +
            "AND (@OverdueOnly = 0 OR (d.status IN ('designated', 'suspended') AND d.review_due_on < @Today)) ORDER BY d.designated_at, d.id LIMIT @Take";

        public const string OfInstance = Select + "WHERE d.instance_id = @InstanceId " + Page;

        /// <summary>Only the designations the caller is assigned to now.</summary>
        public const string AssignedTo =
            Select + "WHERE d.instance_id = @InstanceId AND EXISTS (SELECT 1 FROM fu_assignments a WHERE a.designation_id = d.id " +
            "AND a.organisation_id = @OrganisationId AND " + AssignmentSql.Current + ") " + Page;

        public const string AnyAssignment =
            "SELECT COUNT(*) FROM fu_assignments a JOIN fu_designations d ON d.id = a.designation_id " +
            "WHERE d.instance_id = @InstanceId AND a.organisation_id = @OrganisationId AND " + AssignmentSql.Current;
    }

    public async Task<Page<DesignationSummaryDto>> Handle(ListDesignations request, CancellationToken cancellationToken)
    {
        var caller = access.Caller.OrganisationId;
        var circle = await mediator.Send(new GetInstanceCircle(request.InstanceId, [caller], access.Now), cancellationToken);
        var coChair = circle?.IsCoChair(caller) == true;
        var member = circle?.Organisations.GetValueOrDefault(caller)?.IsMember == true;
        var parameters = new { request.InstanceId, OrganisationId = caller, access.Now };
        // A member sees an empty list; an assigned service that is no member sees its own; anyone else learns nothing.
        if (circle is null || (!coChair && !member && await db.QuerySingleOrDefaultAsync<long>(Sql.AnyAssignment, parameters, cancellationToken) == 0))
        {
            throw new NotFoundException("No such instance.");
        }
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<SummaryRow>(coChair ? Sql.OfInstance : Sql.AssignedTo, new
        {
            request.InstanceId, OrganisationId = caller, access.Now, AfterAt = afterAt, AfterId = afterId, OverdueOnly = coChair && request.ReviewOverdue == true ? 1 : 0,
            access.Today, page.Take,
        }, cancellationToken);
        var today = access.Today;
        return page.ToPage(rows.Select(r =>
        {
            var status = Kebab.Parse<DesignationStatus>(r.Status);
            var open = status is DesignationStatus.Designated or DesignationStatus.Suspended;
            var shown = status == DesignationStatus.Designated && today >= r.ReleasedOn ? DesignationStatus.Active : status;
            var person = r.LastName is null ? null : new PersonDto(r.LastName, r.FirstNames!, r.BirthDate!.Value);
            return coChair
                ? new DesignationSummaryDto(r.Id, shown, person, r.ReleasedOn, r.ReviewDueOn, open && r.ReviewDueOn < today, r.Obligations, r.Assignments,
                    r.Observations, r.OpenIncidentReports, r.DesignatedAt)
                : new DesignationSummaryDto(r.Id, shown, person, r.ReleasedOn, null, false, null, null, null, null, r.DesignatedAt);
        }).ToList(), d => Keyset.Of(d.DesignatedAt, d.Id));
    }
}

internal static class ListDesignationsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(FollowUpRoutes.InstanceDesignations, (Guid id, bool? reviewOverdue, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListDesignations(id, reviewOverdue, limit, cursor), ct))
            .WithName("ListDesignations")
            .Audit("designation.list", AuditOperation.Consultation, "instance")
            .PersonalData().RequireJustification()
            .WithSummary("The designations of an instance: all for the co-chairs (status, next review, counts; ?reviewOverdue=true for the overdue reviews), only its own for an assigned service")
            .Produces<Page<DesignationSummaryDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowFollowUpRead();
}
