namespace EtatMajor.Modules.Governance.Features.GetMemberships;

/// <summary>
/// The answer other modules (the policy first) get to <see cref="Contracts.GetMemberships"/>: membership as it
/// stood at an instant, for the organisations asked about, in five small queries whatever their number. Inside
/// a transaction on SQL Server the membership rows read stay locked until the commit (HOLDLOCK), so that a
/// removal waits for the disclosure decided on them; on SQLite the transaction already holds the write lock.
/// </summary>
internal sealed class GetMembershipsHandler(IDbSession db) : IRequestHandler<Contracts.GetMemberships, InstanceMemberships?>
{
    internal static class Sql
    {
        public const string Instance = "SELECT kind FROM gov_instances WHERE id = @InstanceId";

        /// <summary>Members at the instant: joined by then, not removed by then.</summary>
        public const string MembersAt =
            $"SELECT m.organisation_id AS {nameof(MemberAt.OrganisationId)}, o.kind AS {nameof(MemberAt.Kind)}, m.role AS {nameof(MemberAt.Role)} " +
            "FROM gov_instance_members m /*+ HOLDLOCK */ JOIN gov_organisations o ON o.id = m.organisation_id " +
            "WHERE m.instance_id = @InstanceId AND m.joined_at <= @At AND (m.removed_at IS NULL OR m.removed_at > @At)";

        /// <summary>The version in force on a date, without its text: a decision needs its id and version only.</summary>
        public const string RulesInForce =
            $"SELECT r.id AS {nameof(RulesRow.Id)}, r.version AS {nameof(RulesRow.Version)}, r.in_force_from AS {nameof(RulesRow.InForceFrom)} " +
            InternalRulesSql.Covering + " AND r.in_force_from <= @On AND (r.repealed_on IS NULL OR r.repealed_on > @On) " +
            "ORDER BY r.in_force_from DESC, r.recorded_at DESC LIMIT @Take";

        /// <summary>CONF-4: acknowledged for this instance.</summary>
        public const string AcknowledgedBy =
            "SELECT organisation_id FROM gov_rule_acknowledgements WHERE internal_rules_id = @RulesId AND instance_id = @InstanceId AND acknowledged_at <= @At";

        public const string Kinds = $"SELECT id AS {nameof(KindOf.Id)}, kind AS {nameof(KindOf.Kind)} FROM gov_organisations WHERE id IN @Ids";
    }

    internal sealed class MemberAt
    {
        public Guid OrganisationId { get; init; }
        public string Kind { get; init; } = "";
        public string Role { get; init; } = "";
    }

    internal sealed class RulesRow
    {
        public Guid Id { get; init; }
        public string Version { get; init; } = "";
        public DateOnly InForceFrom { get; init; }
    }

    internal sealed class KindOf
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
    }

    public async Task<InstanceMemberships?> Handle(Contracts.GetMemberships request, CancellationToken cancellationToken)
    {
        var kind = await db.QuerySingleOrDefaultAsync<string>(Sql.Instance, new { request.InstanceId }, cancellationToken);
        if (kind is null)
        {
            return null;
        }
        var members = (await db.QueryAsync<MemberAt>(Sql.MembersAt, new { request.InstanceId, request.At }, cancellationToken))
            .ToDictionary(m => m.OrganisationId);
        var rules = (await db.QueryAsync<RulesRow>(Sql.RulesInForce,
            new { request.InstanceId, On = LegalCalendar.DateOf(request.At), Take = 1 }, cancellationToken)).FirstOrDefault();
        var acknowledged = rules is null ? []
            : (await db.QueryAsync<Guid>(Sql.AcknowledgedBy, new { RulesId = rules.Id, request.InstanceId, request.At }, cancellationToken)).ToHashSet();
        var others = request.OrganisationIds.Where(id => !members.ContainsKey(id)).ToList();
        var kinds = others.Count == 0 ? []
            : (await db.QueryAsync<KindOf>(Sql.Kinds, new { Ids = SqlLists.Ids(others) }, cancellationToken)).ToDictionary(k => k.Id, k => k.Kind);

        var statuses = new Dictionary<Guid, MembershipStatus>();
        foreach (var organisationId in request.OrganisationIds.Distinct())
        {
            statuses[organisationId] = members.TryGetValue(organisationId, out var member)
                ? new MembershipStatus(organisationId, true, Kebab.Parse<OrganisationKind>(member.Kind), true,
                    member.Role == MemberRole.CoChair.ToKebab(), acknowledged.Contains(organisationId))
                : new MembershipStatus(organisationId, kinds.ContainsKey(organisationId),
                    kinds.TryGetValue(organisationId, out var other) ? Kebab.Parse<OrganisationKind>(other) : null, false, false, acknowledged.Contains(organisationId));
        }
        return new InstanceMemberships(request.InstanceId, Kebab.Parse<InstanceKind>(kind),
            rules is null ? null : new InternalRulesInForce(rules.Id, rules.Version, rules.InForceFrom), statuses);
    }
}
