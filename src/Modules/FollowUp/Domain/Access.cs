namespace EtatMajor.Modules.FollowUp.Domain;

/// <summary>How the caller stands towards a designation (DES-5): the procureur co-chair decides, the préfet co-chair organises, an assigned service follows its obligations.</summary>
internal enum Standing
{
    ProcureurCoChair,
    CoChair,
    Assigned,
}

/// <summary>A designation as the caller may see it: the row, the instance's circle now, the caller's standing and, for an assigned service, its assignment.</summary>
internal sealed record Seen(DesignationRow Designation, InstanceCircle Circle, Standing Standing, AssignmentRow? Assignment)
{
    public bool IsCoChair => Standing != Standing.Assigned;
}

internal sealed class AssignmentRow
{
    public const string Columns =
        $"a.id AS {nameof(Id)}, a.designation_id AS {nameof(DesignationId)}, a.organisation_id AS {nameof(OrganisationId)}, a.modality AS {nameof(Modality)}, " +
        $"a.assigned_at AS {nameof(AssignedAt)}, a.removed_at AS {nameof(RemovedAt)}";

    public Guid Id { get; init; }
    public Guid DesignationId { get; init; }
    public Guid OrganisationId { get; init; }
    public string Modality { get; init; } = "";
    public DateTimeOffset AssignedAt { get; init; }
    public DateTimeOffset? RemovedAt { get; init; }
}

internal static class AssignmentSql
{
    /// <summary>An assignment current at @Now: made by then, not removed by then.</summary>
    public const string Current = "a.assigned_at <= @Now AND (a.removed_at IS NULL OR a.removed_at > @Now)";

    public const string CurrentOf =
        $"SELECT {AssignmentRow.Columns} FROM fu_assignments a WHERE a.designation_id = @DesignationId AND a.organisation_id = @OrganisationId AND " + Current;

    public const string CurrentOrganisations = "SELECT a.organisation_id FROM fu_assignments a WHERE a.designation_id = @DesignationId AND " + Current;

    public const string ObligationsOf = "SELECT obligation_id FROM fu_assignment_obligations WHERE assignment_id = @AssignmentId";
}

/// <summary>
/// The object-level check of every follow-up request (DES-1, DES-5, CONF-1). A designation exists only for the
/// co-chairs of its instance and its currently assigned services: anyone else — members, participants, removed
/// services, strangers — gets 404, as if it did not exist. Read at the request's instant.
/// </summary>
internal sealed class DesignationAccess(IDbSession db, ICallerAccessor callers, IMediator mediator, TimeProvider clock)
{
    public DateTimeOffset Now { get; } = clock.Instant();

    public DateOnly Today => LegalCalendar.DateOf(Now);

    public Caller Caller => callers.Required;

    /// <summary>The instance, for a caller who is a member of it or one of its co-chairs; 404 otherwise.</summary>
    public async Task<InstanceCircle> InstanceAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var circle = await mediator.Send(new GetInstanceCircle(instanceId, [Caller.OrganisationId], Now), cancellationToken);
        return circle is not null && (circle.IsCoChair(Caller.OrganisationId) || circle.Organisations.GetValueOrDefault(Caller.OrganisationId)?.IsMember == true)
            ? circle
            : throw new NotFoundException("No such instance.");
    }

    /// <summary>DES-1: a procureur co-chair of the instance; another member is refused (403), a stranger learns nothing (404).</summary>
    public async Task<InstanceCircle> InstanceAsProcureurAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var circle = await InstanceAsync(instanceId, cancellationToken);
        return circle.IsProcureurCoChair(Caller.OrganisationId) ? circle : throw Des1();
    }

    public async Task<Seen> SeenAsync(Guid designationId, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<DesignationRow>(DesignationSql.One, new { Id = designationId }, cancellationToken)
            ?? throw NotFound();
        var circle = await mediator.Send(new GetInstanceCircle(row.InstanceId, [Caller.OrganisationId], Now), cancellationToken)
            ?? throw NotFound();
        if (circle.IsCoChair(Caller.OrganisationId))
        {
            return new Seen(row, circle, circle.IsProcureurCoChair(Caller.OrganisationId) ? Standing.ProcureurCoChair : Standing.CoChair, null);
        }
        var assignment = row.IsErased ? null
            : await db.QuerySingleOrDefaultAsync<AssignmentRow>(AssignmentSql.CurrentOf,
                new { DesignationId = designationId, Caller.OrganisationId, Now }, cancellationToken);
        return assignment is null ? throw NotFound() : new Seen(row, circle, Standing.Assigned, assignment);
    }

    /// <summary>DES-1: what only the procureur does (obligations, events, closure, reviews).</summary>
    public async Task<Seen> AsProcureurAsync(Guid designationId, CancellationToken cancellationToken)
    {
        var seen = await SeenAsync(designationId, cancellationToken);
        return seen.Standing == Standing.ProcureurCoChair ? seen : throw Des1();
    }

    /// <summary>DES-5: what the co-chairs organise (the assigned services).</summary>
    public async Task<Seen> AsCoChairAsync(Guid designationId, CancellationToken cancellationToken)
    {
        var seen = await SeenAsync(designationId, cancellationToken);
        return seen.IsCoChair ? seen
            : throw new ForbiddenException("The co-chairs organise the follow-up: an assigned service follows its obligations and records observations.") { Rule = LegalRules.Des5 };
    }

    /// <summary>The obligations assigned to the caller's current assignment.</summary>
    public async Task<IReadOnlySet<Guid>> AssignedObligationsAsync(Seen seen, CancellationToken cancellationToken) =>
        seen.Assignment is null ? new HashSet<Guid>()
            : (await db.QueryAsync<Guid>(AssignmentSql.ObligationsOf, new { AssignmentId = seen.Assignment.Id }, cancellationToken)).ToHashSet();

    /// <summary>A closed or erased follow-up takes no more writes.</summary>
    public static void EnsureOpen(Seen seen)
    {
        if (!seen.Designation.IsOpen)
        {
            throw new ConflictException($"This follow-up is {seen.Designation.Status}: it takes no more changes.");
        }
    }

    public static ForbiddenException Des1() =>
        new("Only a procureur co-chair of the instance designates convicted persons and enters their obligations, events, reviews and closure.") { Rule = LegalRules.Des1 };

    private static NotFoundException NotFound() => new("No such designation.");
}

/// <summary>
/// CONF-1 with the designation's circle: who may receive information about a designated person — the co-chairs of
/// its instance and the services assigned to it, at the instant. Null when the designation is not of that instance
/// or is erased (the policy step then answers 404).
/// </summary>
internal sealed class DesignationAudience(IDbSession db, IMediator mediator) : ISubjectAudience
{
    internal static class Sql
    {
        public const string Live = "SELECT COUNT(*) FROM fu_designations WHERE id = @Id AND instance_id = @InstanceId AND erased_at IS NULL";
    }

    public string SubjectKind => FollowUpDisclosures.Subject;

    public async Task<IReadOnlySet<Guid>?> AudienceAsync(Guid instanceId, Guid subjectId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await db.QuerySingleOrDefaultAsync<long>(Sql.Live, new { Id = subjectId, InstanceId = instanceId }, cancellationToken) == 0
            || await mediator.Send(new GetInstanceCircle(instanceId, [], at), cancellationToken) is not { } circle)
        {
            return null;
        }
        var assigned = await db.QueryAsync<Guid>(AssignmentSql.CurrentOrganisations, new { DesignationId = subjectId, Now = at }, cancellationToken);
        return circle.CoChairs.Select(c => c.OrganisationId).Concat(assigned).ToHashSet();
    }
}

/// <summary>
/// FLOW-1 (2016-569 QPC; R132-6-1 III): the JAP and the SPIP never send information to an instance. A policy rule
/// about the sender, decided before anything else (even though the sender is no member): it refuses an exchange
/// about a designation and every follow-up disclosure from them. The follow-up writes that are not disclosures
/// declare the same refusal on their endpoints (<see cref="Refuse"/>).
/// </summary>
internal sealed class JudicialSideRule : IPolicyRule
{
    public const string Type = "/problems/judicial-side";

    public static readonly OrganisationKind[] Kinds = [OrganisationKind.Jap, OrganisationKind.Spip];

    public const string Detail =
        "The juge de l'application des peines and the SPIP never send information to the instance (Cons. const. 2016-569 QPC): " +
        "what reaches it from the judicial side is a closed list of events, recorded by the procureur (POST /api/v1/designations/{did}/events).";

    public static readonly RefusedSenders Refuse = new(LegalRules.Flow1, Type, Kinds, Detail);

    public LegalRule Rule => LegalRules.Flow1;

    public string ProblemType => Type;

    public string Description => "The JAP and the SPIP send nothing to an instance: no exchange, no forward, no observation, no report.";

    public RuleStage Stage => RuleStage.Sender;

    public IEnumerable<Finding> Evaluate(PolicyContext context)
    {
        // Every disclosure, whether or not it names a designation: a JAP or SPIP associated to a CCOFSI could otherwise
        // send about a person without naming the designation.
        if (Kinds.Contains(context.Sender.Kind))
        {
            yield return new Finding(new Violation(Rule, Detail));
        }
    }
}

internal static class FollowUpEndpoints
{
    /// <summary>A follow-up write: scope follow-up, and FLOW-1 refuses the JAP and the SPIP before anything else.</summary>
    public static TBuilder AllowFollowUpWrite<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.FollowUp).Refuse(JudicialSideRule.Refuse);

    /// <summary>A follow-up read: scope follow-up; the handler decides who sees what (DES-5).</summary>
    public static TBuilder AllowFollowUpRead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.FollowUp);
}
