namespace EtatMajor.Modules.Governance.Features.GetMemberships;

/// <summary>
/// The answer other modules (the policy first) get to <see cref="Contracts.GetMemberships"/>: membership as it
/// stood at an instant, for the organisations asked about, in three small queries (four when some are not members)
/// whatever their number — the policy reads them inside the write transaction of every disclosure. Inside
/// a transaction on SQL Server the membership rows read stay locked until the commit (HOLDLOCK), so that a
/// removal waits for the disclosure decided on them; on SQLite the transaction already holds the write lock.
/// </summary>
internal sealed class GetMembershipsHandler(IDbSession db) : IRequestHandler<Contracts.GetMemberships, InstanceMemberships?>
{
    internal static class Sql
    {
        public const string Instance = "SELECT kind FROM gov_instances WHERE id = @InstanceId";

        /// <summary>
        /// Members at the instant (joined by then, not removed by then), each with whether it acknowledged the
        /// règlement in force for this instance by then (CONF-4; one row at most: the acknowledgement's primary key).
        /// </summary>
        public const string MembersAt =
            $"SELECT m.organisation_id AS {nameof(MemberAt.OrganisationId)}, o.kind AS {nameof(MemberAt.Kind)}, m.role AS {nameof(MemberAt.Role)}, " +
            $"CASE WHEN a.organisation_id IS NULL THEN 0 ELSE 1 END AS {nameof(MemberAt.Acknowledged)} " +
            "FROM gov_instance_members m /*+ HOLDLOCK */ JOIN gov_organisations o ON o.id = m.organisation_id " +
            "LEFT JOIN gov_rule_acknowledgements a ON a.internal_rules_id = @RulesId AND a.instance_id = m.instance_id " +
            "AND a.organisation_id = m.organisation_id AND a.acknowledged_at <= @At " +
            "WHERE m.instance_id = @InstanceId AND m.joined_at <= @At AND (m.removed_at IS NULL OR m.removed_at > @At)";

        /// <summary>The version in force on a date, without its text: a decision needs its id and version only.</summary>
        public const string RulesInForce =
            $"SELECT r.id AS {nameof(RulesRow.Id)}, r.version AS {nameof(RulesRow.Version)}, r.in_force_from AS {nameof(RulesRow.InForceFrom)} " +
            InternalRulesSql.Covering + " AND r.in_force_from <= @On AND (r.repealed_on IS NULL OR r.repealed_on > @On) " +
            "ORDER BY r.in_force_from DESC, r.recorded_at DESC LIMIT @Take";

        public const string Kinds = $"SELECT id AS {nameof(KindOf.Id)}, kind AS {nameof(KindOf.Kind)} FROM gov_organisations WHERE id IN @Ids";
    }

    internal sealed class MemberAt
    {
        public Guid OrganisationId { get; init; }
        public string Kind { get; init; } = "";
        public string Role { get; init; } = "";
        public bool Acknowledged { get; init; }
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
        var rules = (await db.QueryAsync<RulesRow>(Sql.RulesInForce,
            new { request.InstanceId, On = LegalCalendar.DateOf(request.At), Take = 1 }, cancellationToken)).FirstOrDefault();
        var members = (await db.QueryAsync<MemberAt>(Sql.MembersAt, new { request.InstanceId, request.At, RulesId = rules?.Id }, cancellationToken))
            .ToDictionary(m => m.OrganisationId);
        var others = request.OrganisationIds.Where(id => !members.ContainsKey(id)).ToList();
        var kinds = others.Count == 0 ? []
            : (await db.QueryAsync<KindOf>(Sql.Kinds, new { Ids = SqlLists.Ids(others) }, cancellationToken)).ToDictionary(k => k.Id, k => k.Kind);

        var statuses = new Dictionary<Guid, MembershipStatus>();
        foreach (var organisationId in request.OrganisationIds.Distinct())
        {
            statuses[organisationId] = members.TryGetValue(organisationId, out var member)
                ? new MembershipStatus(organisationId, true, Kebab.Parse<OrganisationKind>(member.Kind), true,
                    member.Role == MemberRole.CoChair.ToKebab(), member.Acknowledged)
                : new MembershipStatus(organisationId, kinds.ContainsKey(organisationId),
                    // A non-member's acknowledgement decides nothing (CONF-1 refuses it first): reported as none.
                    kinds.TryGetValue(organisationId, out var other) ? Kebab.Parse<OrganisationKind>(other) : null, false, false, false);
        }
        return new InstanceMemberships(request.InstanceId, Kebab.Parse<InstanceKind>(kind),
            rules is null ? null : new InternalRulesInForce(rules.Id, rules.Version, rules.InForceFrom), statuses);
    }
}
