

namespace EtatMajor.Modules.Governance.Contracts;

public enum InstanceKind
{
    Ems,
    Ccofsi,
}

/// <summary>
/// For other modules (the policy layer first): at an instant, for an instance and some organisations, who
/// is a member, who co-chairs, and who acknowledged the règlement intérieur in force. Null when the
/// instance does not exist.
/// </summary>
public sealed record GetMemberships(Guid InstanceId, IReadOnlyCollection<Guid> OrganisationIds, DateTimeOffset At) : IQuery<InstanceMemberships?>, INotADisclosure;

public sealed record InstanceMemberships(
    Guid InstanceId, InstanceKind Kind, InternalRulesInForce? RulesInForce, IReadOnlyDictionary<Guid, MembershipStatus> Organisations);

public sealed record InternalRulesInForce(Guid Id, string Version, DateOnly InForceFrom);

/// <summary>`Exists` is false for an unknown organisation id; `Kind` is then null. `AcknowledgedRulesInForce` is said of current members only (false for the others).</summary>
public sealed record MembershipStatus(Guid OrganisationId, bool Exists, OrganisationKind? Kind, bool IsMember, bool IsCoChair, bool AcknowledgedRulesInForce);

/// <summary>
/// For the modules that act inside an instance (follow-up, penal policy): its kind, département and current
/// co-chairs, and, for the organisations asked about, what they are (kind, département) and whether they are
/// members at the instant. Null when the instance does not exist; an unknown organisation id is absent from
/// <see cref="InstanceCircle.Organisations"/>.
/// </summary>
public sealed record GetInstanceCircle(Guid InstanceId, IReadOnlyCollection<Guid> OrganisationIds, DateTimeOffset At) : IQuery<InstanceCircle?>, INotADisclosure;

public sealed record InstanceCircle(
    Guid InstanceId, InstanceKind Kind, string Departement, IReadOnlyList<CoChair> CoChairs, IReadOnlyDictionary<Guid, OrganisationProfile> Organisations)
{
    /// <summary>Every current member at the instant, co-chairs included (who may receive what is delivered to the instance).</summary>
    public IReadOnlyList<Guid> Members { get; init; } = [];

    public bool IsCoChair(Guid organisationId) => CoChairs.Any(c => c.OrganisationId == organisationId);

    public bool IsProcureurCoChair(Guid organisationId) => CoChairs.Any(c => c.OrganisationId == organisationId && c.Kind == OrganisationKind.Procureur);

    public IReadOnlyList<Guid> Procureurs => CoChairs.Where(c => c.Kind == OrganisationKind.Procureur).Select(c => c.OrganisationId).ToList();
}

public sealed record CoChair(Guid OrganisationId, OrganisationKind Kind);

public sealed record OrganisationProfile(Guid OrganisationId, OrganisationKind Kind, string? Departement, bool IsMember);

/// <summary>
/// For the penal-policy module: the instances of a département (or of every département when null), or only those an
/// organisation co-chairs at the instant, each with its co-chairs then. Ordered by département, kind and name.
/// </summary>
public sealed record ListInstanceCircles(string? Departement, Guid? CoChairOrganisationId, DateTimeOffset At)
    : IQuery<IReadOnlyList<InstanceSummary>>, INotADisclosure;

public sealed record InstanceSummary(Guid InstanceId, InstanceKind Kind, string Departement, string Name, IReadOnlyList<CoChair> CoChairs)
{
    public IReadOnlyList<Guid> Procureurs => CoChairs.Where(c => c.Kind == OrganisationKind.Procureur).Select(c => c.OrganisationId).ToList();

    public bool IsCoChair(Guid organisationId) => CoChairs.Any(c => c.OrganisationId == organisationId);
}

/// <summary>The date a meeting of the instance was held (meetings are recorded once held, MEET-1); null when the id names no meeting of that instance.</summary>
public sealed record GetMeetingHeldOn(Guid InstanceId, Guid MeetingId) : IQuery<DateOnly?>, INotADisclosure;
