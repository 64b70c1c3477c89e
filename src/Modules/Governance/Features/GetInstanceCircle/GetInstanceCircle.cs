namespace EtatMajor.Modules.Governance.Features.GetInstanceCircle;

/// <summary>The answer other modules get to <see cref="Contracts.GetInstanceCircle"/>, in three small queries.</summary>
internal sealed class GetInstanceCircleHandler(IDbSession db) : IRequestHandler<Contracts.GetInstanceCircle, InstanceCircle?>
{
    internal static class Sql
    {
        public const string Instance = $"SELECT kind AS {nameof(InstanceOf.Kind)}, departement AS {nameof(InstanceOf.Departement)} FROM gov_instances WHERE id = @InstanceId";

        /// <summary>Members at the instant (joined by then, not removed by then), co-chairs first.</summary>
        public const string MembersAt =
            $"SELECT m.organisation_id AS {nameof(MemberOf.OrganisationId)}, o.kind AS {nameof(MemberOf.Kind)}, m.role AS {nameof(MemberOf.Role)} " +
            "FROM gov_instance_members m JOIN gov_organisations o ON o.id = m.organisation_id " +
            "WHERE m.instance_id = @InstanceId AND m.joined_at <= @At AND (m.removed_at IS NULL OR m.removed_at > @At) ORDER BY m.joined_at, m.organisation_id";

        public const string Organisations =
            $"SELECT id AS {nameof(OrganisationOf.Id)}, kind AS {nameof(OrganisationOf.Kind)}, departement AS {nameof(OrganisationOf.Departement)} " +
            "FROM gov_organisations WHERE id IN @Ids";
    }

    internal sealed class InstanceOf
    {
        public string Kind { get; init; } = "";
        public string Departement { get; init; } = "";
    }

    internal sealed class MemberOf
    {
        public Guid OrganisationId { get; init; }
        public string Kind { get; init; } = "";
        public string Role { get; init; } = "";
    }

    internal sealed class OrganisationOf
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string? Departement { get; init; }
    }

    public async Task<InstanceCircle?> Handle(Contracts.GetInstanceCircle request, CancellationToken cancellationToken)
    {
        var instance = await db.QuerySingleOrDefaultAsync<InstanceOf>(Sql.Instance, new { request.InstanceId }, cancellationToken);
        if (instance is null)
        {
            return null;
        }
        var members = await db.QueryAsync<MemberOf>(Sql.MembersAt, new { request.InstanceId, request.At }, cancellationToken);
        var asked = request.OrganisationIds.Distinct().ToList();
        var organisations = asked.Count == 0 ? []
            : await db.QueryAsync<OrganisationOf>(Sql.Organisations, new { Ids = SqlLists.Ids(asked) }, cancellationToken);
        var memberIds = members.Select(m => m.OrganisationId).ToHashSet();
        return new InstanceCircle(request.InstanceId, Kebab.Parse<InstanceKind>(instance.Kind), instance.Departement,
            members.Where(m => m.Role == MemberRole.CoChair.ToKebab()).Select(m => new CoChair(m.OrganisationId, Kebab.Parse<OrganisationKind>(m.Kind))).ToList(),
            organisations.ToDictionary(o => o.Id,
                o => new OrganisationProfile(o.Id, Kebab.Parse<OrganisationKind>(o.Kind), o.Departement, memberIds.Contains(o.Id))))
        {
            Members = members.Select(m => m.OrganisationId).ToList(),
        };
    }
}
