namespace EtatMajor.Modules.FollowUp.Domain;

internal sealed record PersonDto(string LastName, string FirstNames, DateOnly BirthDate);

internal sealed record JapOpinionDto(bool Favourable, DateOnly GivenOn, JudgeCapacity JudgeCapacity, string? Reference);

internal sealed record ObligationDto(
    Guid Id, ObligationKind Kind, string Description, ImposedBy ImposedBy, DateOnly DecisionDate, DateOnly From, DateOnly? Until, int Version,
    IReadOnlyList<ObligationVersionDto>? PreviousVersions) : IVersionedResource
{
    /// <summary>What If-Match names to modify this obligation.</summary>
    public string ETag => EntityTags.Of(Version);
}

internal sealed record ObligationVersionDto(
    int Version, ObligationKind Kind, string Description, ImposedBy ImposedBy, DateOnly DecisionDate, DateOnly From, DateOnly? Until, DateTimeOffset ReplacedAt);

internal sealed record AssignmentDto(Guid Id, Guid OrganisationId, IReadOnlyList<Guid> ObligationIds, string Modality, DateTimeOffset AssignedAt, DateTimeOffset? RemovedAt)
    : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed record ObservationDto(
    Guid Id, Guid ObligationId, Guid OrganisationId, DateOnly ObservedOn, ObservationOutcome Outcome, string Note, DateTimeOffset RecordedAt, Guid? IncidentReportId)
    : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed record EventDto(Guid Id, FollowUpEventType Type, DateOnly OccurredOn, EventSource Source, string? Reference, DateTimeOffset RecordedAt)
    : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed record DesignationReviewDto(Guid Id, DateOnly ReviewedOn, ReviewDecision Decision, DateTimeOffset RecordedAt) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

/// <summary>What is left of an erased designation: dates and counts, no content (DES-6).</summary>
internal sealed record TombstoneDto(DateTimeOffset ErasedAt, int Obligations, int Assignments, int Observations, int Events);

/// <summary>
/// A designation as the co-chairs see it: everything, with the assignments (`id`, `organisationId`, `obligationIds`),
/// the events and reviews. `reviewOverdue` is true once `reviewDueOn` has passed without a review (DES-6).
/// </summary>
internal sealed record DesignationDto(
    Guid Id, Guid InstanceId, DesignationStatus Status, PersonDto? Person, DateOnly ReleasedOn, JapOpinionDto? JapOpinion,
    DateOnly? ClosedOn, ClosureReason? ClosureReason, DateOnly? ReviewDueOn, bool ReviewOverdue,
    IReadOnlyList<ObligationDto> Obligations, IReadOnlyList<AssignmentDto> Assignments, IReadOnlyList<ObservationDto> Observations,
    IReadOnlyList<EventDto> Events, IReadOnlyList<DesignationReviewDto> Reviews, DateTimeOffset DesignatedAt, TombstoneDto? Erased) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

/// <summary>
/// A designation as an assigned service sees it (DES-5): the person's identity, the release date, the status, the
/// obligations assigned to it with its own modality, and its own observations — nothing else.
/// </summary>
internal sealed record AssignedDesignationDto(
    Guid Id, DesignationStatus Status, PersonDto Person, DateOnly ReleasedOn, IReadOnlyList<ObligationDto> Obligations, Guid AssignmentId, string Modality,
    IReadOnlyList<ObservationDto> Observations);

internal sealed class ObligationRow
{
    public const string Columns =
        $"o.id AS {nameof(Id)}, o.designation_id AS {nameof(DesignationId)}, o.kind AS {nameof(Kind)}, o.description AS {nameof(Description)}, " +
        $"o.imposed_by AS {nameof(ImposedBy)}, o.decision_date AS {nameof(DecisionDate)}, o.from_on AS {nameof(StartsOn)}, o.until_on AS {nameof(EndsOn)}, " +
        $"o.version AS {nameof(Version)}";

    public Guid Id { get; init; }
    public Guid DesignationId { get; init; }
    public string Kind { get; init; } = "";
    public string Description { get; init; } = "";
    public string ImposedBy { get; init; } = "";
    public DateOnly DecisionDate { get; init; }
    public DateOnly StartsOn { get; init; }
    public DateOnly? EndsOn { get; init; }
    public int Version { get; init; }
}

internal sealed class ObligationVersionRow
{
    public Guid ObligationId { get; init; }
    public int Version { get; init; }
    public string Kind { get; init; } = "";
    public string Description { get; init; } = "";
    public string ImposedBy { get; init; } = "";
    public DateOnly DecisionDate { get; init; }
    public DateOnly StartsOn { get; init; }
    public DateOnly? EndsOn { get; init; }
    public DateTimeOffset ReplacedAt { get; init; }
}

internal sealed class AssignedObligationRow
{
    public Guid AssignmentId { get; init; }
    public Guid ObligationId { get; init; }
}

internal sealed class ObservationRow
{
    public const string Columns =
        $"b.id AS {nameof(Id)}, b.obligation_id AS {nameof(ObligationId)}, b.organisation_id AS {nameof(OrganisationId)}, b.observed_on AS {nameof(ObservedOn)}, " +
        $"b.outcome AS {nameof(Outcome)}, b.note AS {nameof(Note)}, b.recorded_at AS {nameof(RecordedAt)}, r.id AS {nameof(IncidentReportId)}";

    public Guid Id { get; init; }
    public Guid ObligationId { get; init; }
    public Guid OrganisationId { get; init; }
    public DateOnly ObservedOn { get; init; }
    public string Outcome { get; init; } = "";
    public string Note { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
    public Guid? IncidentReportId { get; init; }

    public ObservationDto ToDto() => new(Id, ObligationId, OrganisationId, ObservedOn, Kebab.Parse<ObservationOutcome>(Outcome), Note, RecordedAt, IncidentReportId);
}

internal sealed class EventRow
{
    public Guid Id { get; init; }
    public string Type { get; init; } = "";
    public DateOnly OccurredOn { get; init; }
    public string Source { get; init; } = "";
    public string? Reference { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    public EventDto ToDto() => new(Id, Kebab.Parse<FollowUpEventType>(Type), OccurredOn, Kebab.Parse<EventSource>(Source), Reference, RecordedAt);
}

internal sealed class ReviewRow
{
    public Guid Id { get; init; }
    public DateOnly ReviewedOn { get; init; }
    public string Decision { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>Reads a designation for the caller's standing: the co-chairs' view or an assigned service's.</summary>
internal static class DesignationReader
{
    internal static class Sql
    {
        public const string Obligations = $"SELECT {ObligationRow.Columns} FROM fu_obligations o WHERE o.designation_id = @Id ORDER BY o.position";

        public const string Versions =
            $"SELECT v.obligation_id AS {nameof(ObligationVersionRow.ObligationId)}, v.version AS {nameof(ObligationVersionRow.Version)}, " +
            $"v.kind AS {nameof(ObligationVersionRow.Kind)}, v.description AS {nameof(ObligationVersionRow.Description)}, " +
            $"v.imposed_by AS {nameof(ObligationVersionRow.ImposedBy)}, v.decision_date AS {nameof(ObligationVersionRow.DecisionDate)}, " +
            $"v.from_on AS {nameof(ObligationVersionRow.StartsOn)}, v.until_on AS {nameof(ObligationVersionRow.EndsOn)}, v.replaced_at AS {nameof(ObligationVersionRow.ReplacedAt)} " +
            "FROM fu_obligation_versions v JOIN fu_obligations o ON o.id = v.obligation_id WHERE o.designation_id = @Id ORDER BY v.obligation_id, v.version";

        public const string Assignments =
            $"SELECT {AssignmentRow.Columns} FROM fu_assignments a WHERE a.designation_id = @Id ORDER BY a.assigned_at, a.id";

        public const string AssignedObligations =
            $"SELECT ao.assignment_id AS {nameof(AssignedObligationRow.AssignmentId)}, ao.obligation_id AS {nameof(AssignedObligationRow.ObligationId)} " +
            "FROM fu_assignment_obligations ao JOIN fu_assignments a ON a.id = ao.assignment_id WHERE a.designation_id = @Id";

        public const string Observations =
            $"SELECT {ObservationRow.Columns} FROM fu_observations b LEFT JOIN fu_incident_reports r ON r.observation_id = b.id " +
            "WHERE b.designation_id = @Id ORDER BY b.recorded_at, b.id";

        public const string ObservationsBy =
            $"SELECT {ObservationRow.Columns} FROM fu_observations b LEFT JOIN fu_incident_reports r ON r.observation_id = b.id " +
            "WHERE b.designation_id = @Id AND b.organisation_id = @OrganisationId ORDER BY b.recorded_at, b.id";

        public const string Events =
            $"SELECT id AS {nameof(EventRow.Id)}, type AS {nameof(EventRow.Type)}, occurred_on AS {nameof(EventRow.OccurredOn)}, source AS {nameof(EventRow.Source)}, " +
            $"reference AS {nameof(EventRow.Reference)}, recorded_at AS {nameof(EventRow.RecordedAt)} FROM fu_events WHERE designation_id = @Id ORDER BY recorded_at, id";

        public const string Reviews =
            $"SELECT id AS {nameof(ReviewRow.Id)}, reviewed_on AS {nameof(ReviewRow.ReviewedOn)}, decision AS {nameof(ReviewRow.Decision)}, " +
            $"recorded_at AS {nameof(ReviewRow.RecordedAt)} FROM fu_reviews WHERE designation_id = @Id ORDER BY recorded_at, id";
    }

    public static ObligationDto ToDto(ObligationRow o, IReadOnlyList<ObligationVersionDto>? previous) =>
        new(o.Id, Kebab.Parse<ObligationKind>(o.Kind), o.Description, Kebab.Parse<ImposedBy>(o.ImposedBy), o.DecisionDate, o.StartsOn, o.EndsOn, o.Version, previous);

    /// <summary>The co-chairs' view (erased: the tombstone only).</summary>
    public static async Task<DesignationDto> CoChairViewAsync(IDbSession db, DesignationRow d, DateOnly today, CancellationToken cancellationToken)
    {
        var status = d.StatusOn(today);
        if (d.IsErased)
        {
            return new DesignationDto(d.Id, d.InstanceId, status, null, d.ReleasedOn, null, d.ClosedOn, null, null, false, [], [], [], [], [], d.DesignatedAt,
                new TombstoneDto(d.ErasedAt!.Value, d.ObligationCount ?? 0, d.AssignmentCount ?? 0, d.ObservationCount ?? 0, d.EventCount ?? 0));
        }
        var id = new { d.Id };
        var versions = (await db.QueryAsync<ObligationVersionRow>(Sql.Versions, id, cancellationToken))
            .ToLookup(v => v.ObligationId, v => new ObligationVersionDto(v.Version, Kebab.Parse<ObligationKind>(v.Kind), v.Description,
                Kebab.Parse<ImposedBy>(v.ImposedBy), v.DecisionDate, v.StartsOn, v.EndsOn, v.ReplacedAt));
        var obligations = (await db.QueryAsync<ObligationRow>(Sql.Obligations, id, cancellationToken)).Select(o => ToDto(o, versions[o.Id].ToList())).ToList();
        var assigned = (await db.QueryAsync<AssignedObligationRow>(Sql.AssignedObligations, id, cancellationToken)).ToLookup(a => a.AssignmentId, a => a.ObligationId);
        var assignments = (await db.QueryAsync<AssignmentRow>(Sql.Assignments, id, cancellationToken))
            .Select(a => new AssignmentDto(a.Id, a.OrganisationId, assigned[a.Id].ToList(), a.Modality, a.AssignedAt, a.RemovedAt)).ToList();
        var observations = (await db.QueryAsync<ObservationRow>(Sql.Observations, id, cancellationToken)).Select(o => o.ToDto()).ToList();
        var events = (await db.QueryAsync<EventRow>(Sql.Events, id, cancellationToken)).Select(e => e.ToDto()).ToList();
        var reviews = (await db.QueryAsync<ReviewRow>(Sql.Reviews, id, cancellationToken))
            .Select(r => new DesignationReviewDto(r.Id, r.ReviewedOn, Kebab.Parse<ReviewDecision>(r.Decision), r.RecordedAt)).ToList();
        return new DesignationDto(d.Id, d.InstanceId, status, new PersonDto(d.LastName!, d.FirstNames!, d.BirthDate!.Value), d.ReleasedOn,
            new JapOpinionDto(true, d.JapGivenOn, Kebab.Parse<JudgeCapacity>(d.JapCapacity), d.JapReference), d.ClosedOn, Reason(d), d.ReviewDueOn,
            d.IsOpen && d.ReviewDueOn < today, obligations, assignments, observations, events, reviews, d.DesignatedAt, null);
    }

    /// <summary>An assigned service's view: its obligations and its own observations only.</summary>
    public static async Task<AssignedDesignationDto> AssignedViewAsync(
        IDbSession db, DesignationRow d, AssignmentRow assignment, IReadOnlySet<Guid> obligationIds, DateOnly today, CancellationToken cancellationToken)
    {
        var obligations = (await db.QueryAsync<ObligationRow>(Sql.Obligations, new { d.Id }, cancellationToken))
            .Where(o => obligationIds.Contains(o.Id)).Select(o => ToDto(o, null)).ToList();
        var observations = (await db.QueryAsync<ObservationRow>(Sql.ObservationsBy, new { d.Id, assignment.OrganisationId }, cancellationToken))
            .Select(o => o.ToDto() with { IncidentReportId = null }).ToList();
        return new AssignedDesignationDto(d.Id, d.StatusOn(today), new PersonDto(d.LastName!, d.FirstNames!, d.BirthDate!.Value), d.ReleasedOn, obligations,
            assignment.Id, assignment.Modality, observations);
    }

    private static ClosureReason? Reason(DesignationRow d) => d.ClosureReason is null ? null : Kebab.Parse<ClosureReason>(d.ClosureReason);
}
