namespace EtatMajor.Modules.Governance.Domain;

/// <summary>
/// A participant of an EMS's steering meetings (COMP-4): it attends them, it is not a member, and no confidential
/// information reaches it through the instance (CONF-1) unless it is assigned to a follow-up.
/// </summary>
internal sealed record ParticipantDto(Guid InstanceId, Guid OrganisationId, string Code, string Name, OrganisationKind Kind, DateTimeOffset JoinedAt)
    : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => $"{InstanceId}/{OrganisationId}";
}

internal sealed class ParticipantRow
{
    public Guid InstanceId { get; init; }
    public Guid OrganisationId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public DateTimeOffset JoinedAt { get; init; }

    public ParticipantDto ToDto() => new(InstanceId, OrganisationId, Code, Name, Kebab.Parse<OrganisationKind>(Kind), JoinedAt);
}

internal static class ParticipantSql
{
    public const string Select =
        $"SELECT p.instance_id AS {nameof(ParticipantRow.InstanceId)}, o.id AS {nameof(ParticipantRow.OrganisationId)}, o.code AS {nameof(ParticipantRow.Code)}, " +
        $"o.name AS {nameof(ParticipantRow.Name)}, o.kind AS {nameof(ParticipantRow.Kind)}, p.joined_at AS {nameof(ParticipantRow.JoinedAt)} " +
        "FROM gov_instance_participants p JOIN gov_organisations o ON o.id = p.organisation_id " +
        "WHERE p.instance_id = @InstanceId AND p.removed_at IS NULL";

    public const string One = Select + " AND p.organisation_id = @OrganisationId";

    public const string Insert =
        "INSERT INTO gov_instance_participants (id, instance_id, organisation_id, joined_at, removed_at) VALUES (@Id, @InstanceId, @OrganisationId, @JoinedAt, NULL)";

    public const string Remove =
        "UPDATE gov_instance_participants SET removed_at = @RemovedAt WHERE instance_id = @InstanceId AND organisation_id = @OrganisationId AND removed_at IS NULL";
}

internal static class ParticipantRoutes
{
    public const string Base = "/api/v1/instances/{id:guid}/participants";
}
