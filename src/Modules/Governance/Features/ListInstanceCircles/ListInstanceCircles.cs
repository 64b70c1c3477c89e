namespace EtatMajor.Modules.Governance.Features.ListInstanceCircles;

/// <summary>The answer other modules get to <see cref="Contracts.ListInstanceCircles"/>: two queries, whatever the number of instances.</summary>
internal sealed class ListInstanceCirclesHandler(IDbSession db) : IRequestHandler<Contracts.ListInstanceCircles, IReadOnlyList<InstanceSummary>>
{
    internal static class Sql
    {
        private const string CurrentCoChair = "m.role = 'co-chair' AND m.joined_at <= @At AND (m.removed_at IS NULL OR m.removed_at > @At)";

        public const string Instances =
            $"SELECT i.id AS {nameof(InstanceOf.Id)}, i.kind AS {nameof(InstanceOf.Kind)}, i.departement AS {nameof(InstanceOf.Departement)}, i.name AS {nameof(InstanceOf.Name)} " +
            "FROM gov_instances i WHERE (@Departement IS NULL OR i.departement = @Departement) " +
            "AND (@CoChair IS NULL OR EXISTS (SELECT 1 FROM gov_instance_members m WHERE m.instance_id = i.id AND m.organisation_id = @CoChair AND " + CurrentCoChair + ")) " +
            "ORDER BY i.departement, i.kind, i.name, i.id";

        /// <summary>The co-chairs at the instant of the instances of the same filter (by département), in the order they joined.</summary>
        public const string CoChairs =
            $"SELECT m.instance_id AS {nameof(CoChairOf.InstanceId)}, m.organisation_id AS {nameof(CoChairOf.OrganisationId)}, o.kind AS {nameof(CoChairOf.Kind)} " +
            "FROM gov_instance_members m JOIN gov_organisations o ON o.id = m.organisation_id JOIN gov_instances i ON i.id = m.instance_id " +
            "WHERE (@Departement IS NULL OR i.departement = @Departement) AND " + CurrentCoChair + " ORDER BY m.joined_at, m.organisation_id";
    }

    internal sealed class InstanceOf
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string Departement { get; init; } = "";
        public string Name { get; init; } = "";
    }

    internal sealed class CoChairOf
    {
        public Guid InstanceId { get; init; }
        public Guid OrganisationId { get; init; }
        public string Kind { get; init; } = "";
    }

    public async Task<IReadOnlyList<InstanceSummary>> Handle(Contracts.ListInstanceCircles request, CancellationToken cancellationToken)
    {
        var filter = new { request.Departement, CoChair = request.CoChairOrganisationId, request.At };
        var instances = await db.QueryAsync<InstanceOf>(Sql.Instances, filter, cancellationToken);
        if (instances.Count == 0)
        {
            return [];
        }
        var coChairs = (await db.QueryAsync<CoChairOf>(Sql.CoChairs, filter, cancellationToken)).ToLookup(c => c.InstanceId);
        return instances.Select(i => new InstanceSummary(i.Id, Kebab.Parse<InstanceKind>(i.Kind), i.Departement, i.Name,
            coChairs[i.Id].Select(c => new CoChair(c.OrganisationId, Kebab.Parse<OrganisationKind>(c.Kind))).ToList())).ToList();
    }
}
