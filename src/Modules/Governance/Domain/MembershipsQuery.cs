using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.Modules.Governance.Features.InternalRules;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Law;
using MediatR;

namespace EtatMajor.Modules.Governance.Domain;

/// <summary>The answer other modules get to <see cref="GetMemberships"/>: membership as it stood at an instant.</summary>
internal sealed class GetMembershipsHandler(IDbSession db, ISqlDialect dialect) : IRequestHandler<GetMemberships, InstanceMemberships?>
{
    internal static class Sql
    {
        public const string Instance = "SELECT kind FROM gov_instances WHERE id = @InstanceId";

        private const string Members =
            $"SELECT m.organisation_id AS {nameof(MemberAt.OrganisationId)}, o.kind AS {nameof(MemberAt.Kind)}, m.role AS {nameof(MemberAt.Role)} " +
            "FROM gov_instance_members m";

        private const string AtInstant =
            " JOIN gov_organisations o ON o.id = m.organisation_id " +
            "WHERE m.instance_id = @InstanceId AND m.joined_at <= @At AND (m.removed_at IS NULL OR m.removed_at > @At)";

        /// <summary>Members at the instant: joined by then, not removed by then.</summary>
        public const string MembersAt = Members + AtInstant;

        /// <summary>
        /// On SQL Server, inside the policy step's transaction, the rows read stay locked until the commit: a
        /// removal waits for the exchange decided on them (SQLite's BEGIN IMMEDIATE already serialises writers).
        /// </summary>
        public const string MembersAtHeld = Members + " WITH (HOLDLOCK)" + AtInstant;

        public const string Kind = "SELECT kind FROM gov_organisations WHERE id = @Id";

        public const string AcknowledgedBy =
            "SELECT organisation_id FROM gov_rule_acknowledgements WHERE internal_rules_id = @RulesId AND acknowledged_at <= @At";
    }

    internal sealed class MemberAt
    {
        public Guid OrganisationId { get; init; }
        public string Kind { get; init; } = "";
        public string Role { get; init; } = "";
    }

    public async Task<InstanceMemberships?> Handle(GetMemberships request, CancellationToken cancellationToken)
    {
        var kind = await db.QuerySingleOrDefaultAsync<string>(Sql.Instance, new { request.InstanceId }, cancellationToken);
        if (kind is null)
        {
            return null;
        }
        var members = (await db.QueryAsync<MemberAt>(dialect.Provider == DatabaseProvider.SqlServer && db.InTransaction ? Sql.MembersAtHeld : Sql.MembersAt,
                new { request.InstanceId, request.At }, cancellationToken))
            .ToDictionary(m => m.OrganisationId);
        var rules = await RulesInForce.OnAsync(db, request.InstanceId, LegalCalendar.DateOf(request.At), cancellationToken);
        var acknowledged = rules is null ? [] :
            (await db.QueryAsync<Guid>(Sql.AcknowledgedBy, new { RulesId = rules.Id, request.At }, cancellationToken)).ToHashSet();

        var statuses = new Dictionary<Guid, MembershipStatus>();
        foreach (var organisationId in request.OrganisationIds.Distinct())
        {
            if (members.TryGetValue(organisationId, out var member))
            {
                statuses[organisationId] = new MembershipStatus(organisationId, true, Kebab.Parse<OrganisationKind>(member.Kind), true,
                    member.Role == MemberRole.CoChair.ToKebab(), acknowledged.Contains(organisationId));
                continue;
            }
            var organisationKind = await db.QuerySingleOrDefaultAsync<string>(Sql.Kind, new { Id = organisationId }, cancellationToken);
            statuses[organisationId] = new MembershipStatus(organisationId, organisationKind is not null,
                organisationKind is null ? null : Kebab.Parse<OrganisationKind>(organisationKind), false, false, acknowledged.Contains(organisationId));
        }
        return new InstanceMemberships(request.InstanceId, Kebab.Parse<InstanceKind>(kind),
            rules is null ? null : new InternalRulesInForce(rules.Id, rules.Version, rules.InForceFrom), statuses);
    }
}
