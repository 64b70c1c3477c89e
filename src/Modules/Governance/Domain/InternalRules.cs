namespace EtatMajor.Modules.Governance.Domain;

/// <summary>
/// A règlement intérieur established by the CDPD of a département (CONF-3), recorded by its préfet (who presides
/// the CDPD). It covers every EMS and CCOFSI of the département, present and future (`CoversAllInstances`), or
/// the instances listed. `Text` is left out of lists. A règlement recorded for one instance before version 2 of
/// the rules covers that instance only.
/// </summary>
internal sealed record InternalRulesDto(
    Guid Id, string Departement, string Version, DateOnly AdoptedByCdpdOn, string CdpdDeliberationReference, string? ProposedBy, DateOnly InForceFrom,
    DateOnly? RepealedOn, bool CoversAllInstances, IReadOnlyList<Guid> InstanceIds, string? Text, DateTimeOffset RecordedAt) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

/// <summary>An organisation's acknowledgement of a règlement, for one instance (CONF-4).</summary>
internal sealed record AcknowledgementDto(
    Guid InternalRulesId, string Version, Guid InstanceId, Guid OrganisationId, string Code, string Name, DateTimeOffset AcknowledgedAt)
    : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => InternalRulesId.ToString();
}

internal sealed class InternalRulesRow
{
    public const string Columns =
        $"r.id AS {nameof(Id)}, r.departement AS {nameof(Departement)}, r.version AS {nameof(Version)}, r.adopted_by_cdpd_on AS {nameof(AdoptedByCdpdOn)}, " +
        $"r.cdpd_deliberation_reference AS {nameof(CdpdDeliberationReference)}, r.proposed_by AS {nameof(ProposedBy)}, " +
        $"r.in_force_from AS {nameof(InForceFrom)}, r.repealed_on AS {nameof(RepealedOn)}, r.covers_all_instances AS {nameof(CoversAllInstances)}, " +
        $"r.recorded_at AS {nameof(RecordedAt)}";

    public const string WithText = Columns + $", r.text AS {nameof(Text)}";

    public Guid Id { get; init; }
    public string Departement { get; init; } = "";
    public string Version { get; init; } = "";
    public DateOnly AdoptedByCdpdOn { get; init; }
    public string CdpdDeliberationReference { get; init; } = "";
    public string? ProposedBy { get; init; }
    public DateOnly InForceFrom { get; init; }
    public DateOnly? RepealedOn { get; init; }
    public bool CoversAllInstances { get; init; }
    public string? Text { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    public InternalRulesDto ToDto(IReadOnlyList<Guid> instanceIds) => new(Id, Departement, Version, AdoptedByCdpdOn, CdpdDeliberationReference, ProposedBy,
        InForceFrom, RepealedOn, CoversAllInstances, CoversAllInstances ? [] : instanceIds, Text, RecordedAt);
}

internal sealed class AcknowledgementRow
{
    public Guid InternalRulesId { get; init; }
    public string Version { get; init; } = "";
    public Guid InstanceId { get; init; }
    public Guid OrganisationId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset AcknowledgedAt { get; init; }

    public AcknowledgementDto ToDto() => new(InternalRulesId, Version, InstanceId, OrganisationId, Code, Name, AcknowledgedAt);
}

internal static class InternalRulesRoutes
{
    /// <summary>The règlement as the members of one instance read and acknowledge it.</summary>
    public const string OfInstance = "/api/v1/instances/{id:guid}/internal-rules";

    /// <summary>The règlement as the préfet records it for the département.</summary>
    public const string OfDepartement = "/api/v1/internal-rules";
}

internal static class InternalRulesSql
{
    /// <summary>The règlements that cover an instance: of its département, for all its instances or for it by name.</summary>
    public const string Covering =
        "FROM gov_internal_rules r JOIN gov_instances i ON i.departement = r.departement AND i.id = @InstanceId " +
        "WHERE (r.covers_all_instances = 1 OR EXISTS (SELECT 1 FROM gov_internal_rules_instances c WHERE c.internal_rules_id = r.id AND c.instance_id = i.id))";

    public const string OneCovering = $"SELECT {InternalRulesRow.WithText} " + Covering + " AND r.id = @Id";

    /// <summary>The version in force on a date: the latest whose in_force_from has come, not repealed by then.</summary>
    public const string InForce =
        $"SELECT {InternalRulesRow.WithText} " + Covering +
        " AND r.in_force_from <= @On AND (r.repealed_on IS NULL OR r.repealed_on > @On) ORDER BY r.in_force_from DESC, r.recorded_at DESC LIMIT @Take";

    public const string ById = $"SELECT {InternalRulesRow.WithText} FROM gov_internal_rules r WHERE r.id = @Id";

    public const string Instances = "SELECT instance_id FROM gov_internal_rules_instances WHERE internal_rules_id = @Id ORDER BY instance_id";

    public const string AcknowledgementSelect =
        $"SELECT a.internal_rules_id AS {nameof(AcknowledgementRow.InternalRulesId)}, r.version AS {nameof(AcknowledgementRow.Version)}, " +
        $"a.instance_id AS {nameof(AcknowledgementRow.InstanceId)}, a.organisation_id AS {nameof(AcknowledgementRow.OrganisationId)}, " +
        $"o.code AS {nameof(AcknowledgementRow.Code)}, o.name AS {nameof(AcknowledgementRow.Name)}, a.acknowledged_at AS {nameof(AcknowledgementRow.AcknowledgedAt)} " +
        "FROM gov_rule_acknowledgements a JOIN gov_internal_rules r ON r.id = a.internal_rules_id JOIN gov_organisations o ON o.id = a.organisation_id " +
        "WHERE a.instance_id = @InstanceId";

    public const string Acknowledgement = AcknowledgementSelect + " AND a.internal_rules_id = @InternalRulesId AND a.organisation_id = @OrganisationId";
    public const string Acknowledge =
        "INSERT INTO gov_rule_acknowledgements (internal_rules_id, instance_id, organisation_id, acknowledged_at) " +
        "VALUES (@InternalRulesId, @InstanceId, @OrganisationId, @AcknowledgedAt)";
}

internal static class InternalRulesReader
{
    public static async Task<InternalRulesRow?> InForceAsync(IDbSession db, Guid instanceId, DateOnly on, CancellationToken cancellationToken) =>
        (await db.QueryAsync<InternalRulesRow>(InternalRulesSql.InForce, new { InstanceId = instanceId, On = on, Take = 1 }, cancellationToken)).FirstOrDefault();

    public static async Task<InternalRulesDto> ToDtoAsync(IDbSession db, InternalRulesRow row, CancellationToken cancellationToken) =>
        row.ToDto(row.CoversAllInstances ? [] : await db.QueryAsync<Guid>(InternalRulesSql.Instances, new { row.Id }, cancellationToken));
}
