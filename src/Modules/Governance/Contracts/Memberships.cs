

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

/// <summary>`Exists` is false for an unknown organisation id; `Kind` is then null.</summary>
public sealed record MembershipStatus(Guid OrganisationId, bool Exists, OrganisationKind? Kind, bool IsMember, bool IsCoChair, bool AcknowledgedRulesInForce);
