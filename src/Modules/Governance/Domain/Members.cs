namespace EtatMajor.Modules.Governance.Domain;

/// <summary>A current member; `EndsAt` is when an association proposed until a date ends by itself (COMP-3).</summary>
internal sealed record MemberDto(
    Guid InstanceId, Guid OrganisationId, string Code, string Name, OrganisationKind Kind, MemberRole Role, DateTimeOffset JoinedAt, DateTimeOffset? EndsAt = null)
    : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => $"{InstanceId}/{OrganisationId}";
}

internal sealed class MemberRow
{
    public Guid InstanceId { get; init; }
    public Guid OrganisationId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Role { get; init; } = "";
    public DateTimeOffset JoinedAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }

    public MemberDto ToDto() => new(InstanceId, OrganisationId, Code, Name, Kebab.Parse<OrganisationKind>(Kind), Kebab.Parse<MemberRole>(Role), JoinedAt, EndsAt);
}

internal static class MemberSql
{
    /// <summary>
    /// A membership current at @Now: not removed, or removed at a later instant — the end of an association
    /// proposed until a date (COMP-3) is recorded in advance as its removal.
    /// </summary>
    public const string Current = "(m.removed_at IS NULL OR m.removed_at > @Now)";

    public const string Select =
        $"SELECT m.instance_id AS {nameof(MemberRow.InstanceId)}, o.id AS {nameof(MemberRow.OrganisationId)}, o.code AS {nameof(MemberRow.Code)}, " +
        $"o.name AS {nameof(MemberRow.Name)}, o.kind AS {nameof(MemberRow.Kind)}, m.role AS {nameof(MemberRow.Role)}, m.joined_at AS {nameof(MemberRow.JoinedAt)}, " +
        $"m.removed_at AS {nameof(MemberRow.EndsAt)} " +
        "FROM gov_instance_members m JOIN gov_organisations o ON o.id = m.organisation_id " +
        "WHERE m.instance_id = @InstanceId AND " + Current;

    public const string One = Select + " AND m.organisation_id = @OrganisationId";

    public const string Insert =
        "INSERT INTO gov_instance_members (id, instance_id, organisation_id, role, joined_at, removed_at) " +
        "VALUES (@Id, @InstanceId, @OrganisationId, @Role, @JoinedAt, @EndsAt)";
}
