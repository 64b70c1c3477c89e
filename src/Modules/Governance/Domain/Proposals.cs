namespace EtatMajor.Modules.Governance.Domain;

internal enum ProposalStatus
{
    AwaitingCosignature,
    Accepted,
    Rejected,
}

/// <summary>A joint proposal (COMP-3): `Scope` says for what the organisation is associated, `Until` the last day of the association.</summary>
internal sealed record ProposalDto(
    Guid Id, Guid InstanceId, Guid OrganisationId, OrganisationKind OrganisationKind, string Rationale, string? Scope, DateOnly? Until, ProposalStatus Status,
    Guid ProposedByOrganisationId, DateTimeOffset ProposedAt, Guid? DecidedByOrganisationId, DateTimeOffset? DecidedAt) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed class ProposalRow
{
    public const string Select =
        $"SELECT p.id AS {nameof(Id)}, p.instance_id AS {nameof(InstanceId)}, p.organisation_id AS {nameof(OrganisationId)}, " +
        $"o.kind AS {nameof(OrganisationKind)}, p.rationale AS {nameof(Rationale)}, p.scope AS {nameof(Scope)}, p.until_on AS {nameof(Until)}, " +
        $"p.status AS {nameof(Status)}, " +
        $"p.proposed_by_organisation_id AS {nameof(ProposedByOrganisationId)}, p.proposed_at AS {nameof(ProposedAt)}, " +
        $"p.decided_by_organisation_id AS {nameof(DecidedByOrganisationId)}, p.decided_at AS {nameof(DecidedAt)} " +
        "FROM gov_association_proposals p JOIN gov_organisations o ON o.id = p.organisation_id";

    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public Guid OrganisationId { get; init; }
    public string OrganisationKind { get; init; } = "";
    public string Rationale { get; init; } = "";
    public string? Scope { get; init; }
    public DateOnly? Until { get; init; }
    public string Status { get; init; } = "";
    public Guid ProposedByOrganisationId { get; init; }
    public DateTimeOffset ProposedAt { get; init; }
    public Guid? DecidedByOrganisationId { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }

    public ProposalDto ToDto() => new(Id, InstanceId, OrganisationId, Kebab.Parse<OrganisationKind>(OrganisationKind), Rationale, Scope, Until,
        Kebab.Parse<ProposalStatus>(Status), ProposedByOrganisationId, ProposedAt, DecidedByOrganisationId, DecidedAt);
}

internal static class ProposalRoutes
{
    public const string Base = "/api/v1/instances/{id:guid}/association-proposals";
}

internal static class ProposalSql
{
    public const string One = ProposalRow.Select + " WHERE p.instance_id = @InstanceId AND p.id = @Id";
    public const string Decide =
        "UPDATE gov_association_proposals SET status = @Status, decided_by_organisation_id = @DecidedBy, decided_at = @DecidedAt " +
        "WHERE id = @Id AND status = 'awaiting-cosignature'";
}

internal static class ProposalDecision
{
    public static async Task<ProposalRow> OpenAsync(IDbSession db, Guid instanceId, Guid proposalId, CancellationToken cancellationToken)
    {
        var proposal = await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { InstanceId = instanceId, Id = proposalId }, cancellationToken)
            ?? throw new NotFoundException("No such proposal.");
        if (proposal.Status != ProposalStatus.AwaitingCosignature.ToKebab())
        {
            throw new ConflictException($"This proposal is already {proposal.Status}.");
        }
        return proposal;
    }

    public static async Task DecideAsync(IDbSession db, ProposalRow proposal, ProposalStatus status, Guid decidedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var changed = await db.ExecuteAsync(ProposalSql.Decide, new { proposal.Id, Status = status.ToKebab(), DecidedBy = decidedBy, DecidedAt = at }, cancellationToken);
        if (changed != 1)
        {
            throw new ConflictException("This proposal was decided meanwhile.");
        }
    }
}
