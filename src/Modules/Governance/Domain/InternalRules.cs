namespace EtatMajor.Modules.Governance.Domain;

/// <summary>A version of the règlement intérieur adopted by the CDPD (CONF-3). `Text` is left out of lists.</summary>
internal sealed record InternalRulesDto(
    Guid Id, Guid InstanceId, string Version, DateOnly AdoptedByCdpdOn, string CdpdDeliberationReference, DateOnly InForceFrom,
    string? Text, DateTimeOffset RecordedAt) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed record AcknowledgementDto(Guid InternalRulesId, string Version, Guid OrganisationId, string Code, string Name, DateTimeOffset AcknowledgedAt)
    : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => InternalRulesId.ToString();
}

internal sealed class InternalRulesRow
{
    public const string Columns =
        $"id AS {nameof(Id)}, instance_id AS {nameof(InstanceId)}, version AS {nameof(Version)}, adopted_by_cdpd_on AS {nameof(AdoptedByCdpdOn)}, " +
        $"cdpd_deliberation_reference AS {nameof(CdpdDeliberationReference)}, in_force_from AS {nameof(InForceFrom)}, recorded_at AS {nameof(RecordedAt)}";

    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public string Version { get; init; } = "";
    public DateOnly AdoptedByCdpdOn { get; init; }
    public string CdpdDeliberationReference { get; init; } = "";
    public DateOnly InForceFrom { get; init; }
    public string? Text { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    public InternalRulesDto ToDto() => new(Id, InstanceId, Version, AdoptedByCdpdOn, CdpdDeliberationReference, InForceFrom, Text, RecordedAt);
}

internal sealed class AcknowledgementRow
{
    public Guid InternalRulesId { get; init; }
    public string Version { get; init; } = "";
    public Guid OrganisationId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset AcknowledgedAt { get; init; }

    public AcknowledgementDto ToDto() => new(InternalRulesId, Version, OrganisationId, Code, Name, AcknowledgedAt);
}

internal static class InternalRulesRoutes
{
    public const string Base = "/api/v1/instances/{id:guid}/internal-rules";
}

internal static class InternalRulesSql
{
    public const string One = $"SELECT {InternalRulesRow.Columns}, text AS {nameof(InternalRulesRow.Text)} FROM gov_internal_rules WHERE instance_id = @InstanceId AND id = @Id";

    /// <summary>The version in force on a date: the latest whose in_force_from has come.</summary>
    public const string InForce =
        $"SELECT {InternalRulesRow.Columns}, text AS {nameof(InternalRulesRow.Text)} FROM gov_internal_rules " +
        "WHERE instance_id = @InstanceId AND in_force_from <= @On ORDER BY in_force_from DESC, recorded_at DESC LIMIT @Take";

    public const string VersionExists = "SELECT COUNT(*) FROM gov_internal_rules WHERE instance_id = @InstanceId AND version = @Version";
    public const string Insert =
        "INSERT INTO gov_internal_rules (id, instance_id, version, adopted_by_cdpd_on, cdpd_deliberation_reference, in_force_from, text, " +
        "recorded_by_organisation_id, recorded_at) VALUES (@Id, @InstanceId, @Version, @AdoptedByCdpdOn, @CdpdDeliberationReference, " +
        "@InForceFrom, @Text, @RecordedBy, @RecordedAt)";

    public const string AcknowledgementSelect =
        $"SELECT a.internal_rules_id AS {nameof(AcknowledgementRow.InternalRulesId)}, r.version AS {nameof(AcknowledgementRow.Version)}, " +
        $"a.organisation_id AS {nameof(AcknowledgementRow.OrganisationId)}, o.code AS {nameof(AcknowledgementRow.Code)}, " +
        $"o.name AS {nameof(AcknowledgementRow.Name)}, a.acknowledged_at AS {nameof(AcknowledgementRow.AcknowledgedAt)} " +
        "FROM gov_rule_acknowledgements a JOIN gov_internal_rules r ON r.id = a.internal_rules_id JOIN gov_organisations o ON o.id = a.organisation_id " +
        "WHERE r.instance_id = @InstanceId";

    public const string Acknowledgement = AcknowledgementSelect + " AND a.internal_rules_id = @InternalRulesId AND a.organisation_id = @OrganisationId";
    public const string Acknowledge =
        "INSERT INTO gov_rule_acknowledgements (internal_rules_id, organisation_id, acknowledged_at) VALUES (@InternalRulesId, @OrganisationId, @AcknowledgedAt)";
}

internal static class RulesInForce
{
    public static async Task<InternalRulesRow?> OnAsync(IDbSession db, Guid instanceId, DateOnly on, CancellationToken cancellationToken) =>
        (await db.QueryAsync<InternalRulesRow>(InternalRulesSql.InForce, new { InstanceId = instanceId, On = on, Take = 1 }, cancellationToken)).FirstOrDefault();
}
