namespace EtatMajor.Modules.FollowUp.Domain;

/// <summary>An incident report (FLOW-2): a suspected breach observed by an assigned service, for the procureur to pass on to the JAP or SPIP.</summary>
internal sealed record IncidentReportDto(
    Guid Id, Guid DesignationId, Guid ObservationId, Guid ObligationId, Guid ReportedBy, DateOnly ObservedOn, string Note, DateTimeOffset ReportedAt,
    DateOnly? AcknowledgedOn);

internal sealed class IncidentReportRow
{
    public Guid Id { get; init; }
    public Guid DesignationId { get; init; }
    public Guid ObservationId { get; init; }
    public Guid ObligationId { get; init; }
    public Guid ReportedBy { get; init; }
    public DateOnly ObservedOn { get; init; }
    public string Note { get; init; } = "";
    public DateTimeOffset ReportedAt { get; init; }
    public DateOnly? AcknowledgedOn { get; init; }

    public IncidentReportDto ToDto() => new(Id, DesignationId, ObservationId, ObligationId, ReportedBy, ObservedOn, Note, ReportedAt, AcknowledgedOn);
}

internal static class IncidentReportSql
{
    public const string Select =
        $"SELECT r.id AS {nameof(IncidentReportRow.Id)}, r.designation_id AS {nameof(IncidentReportRow.DesignationId)}, r.observation_id AS {nameof(IncidentReportRow.ObservationId)}, " +
        $"b.obligation_id AS {nameof(IncidentReportRow.ObligationId)}, b.organisation_id AS {nameof(IncidentReportRow.ReportedBy)}, b.observed_on AS {nameof(IncidentReportRow.ObservedOn)}, " +
        $"b.note AS {nameof(IncidentReportRow.Note)}, r.reported_at AS {nameof(IncidentReportRow.ReportedAt)}, r.acknowledged_on AS {nameof(IncidentReportRow.AcknowledgedOn)} " +
        "FROM fu_incident_reports r JOIN fu_observations b ON b.id = r.observation_id ";
}

/// <summary>The date an incident or follow-up report was passed on to the JAP or the SPIP (FLOW-2).</summary>
internal sealed record AcknowledgeBody(DateOnly? AcknowledgedOn)
{
    public void Validate(ValidationErrors errors)
    {
        if (AcknowledgedOn is null)
        {
            errors.Add("acknowledgedOn", "is required: the date it was passed on to the JAP or the SPIP");
        }
    }
}

internal sealed record FollowUpReportDto(
    Guid Id, Guid InstanceId, Guid AuthorOrganisationId, DateOnly PeriodFrom, DateOnly PeriodTo, string Text, IReadOnlyList<Guid> DesignationIds,
    IReadOnlyList<Guid> RecipientOrganisationIds, DateTimeOffset SentAt, DateOnly? AcknowledgedOn) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed class FollowUpReportRow
{
    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public Guid AuthorId { get; init; }
    public DateOnly PeriodFrom { get; init; }
    public DateOnly PeriodTo { get; init; }
    public string Text { get; init; } = "";
    public DateTimeOffset SentAt { get; init; }
    public DateOnly? AcknowledgedOn { get; init; }
}

internal sealed class ReportDesignationRow
{
    public Guid ReportId { get; init; }
    public Guid DesignationId { get; init; }
}

internal static class FollowUpReportSql
{
    public const string Select =
        $"SELECT p.id AS {nameof(FollowUpReportRow.Id)}, p.instance_id AS {nameof(FollowUpReportRow.InstanceId)}, p.author_id AS {nameof(FollowUpReportRow.AuthorId)}, " +
        $"p.period_from AS {nameof(FollowUpReportRow.PeriodFrom)}, p.period_to AS {nameof(FollowUpReportRow.PeriodTo)}, p.text AS {nameof(FollowUpReportRow.Text)}, " +
        $"p.sent_at AS {nameof(FollowUpReportRow.SentAt)}, p.acknowledged_on AS {nameof(FollowUpReportRow.AcknowledgedOn)} FROM fu_reports p ";

    public const string Designations =
        $"SELECT report_id AS {nameof(ReportDesignationRow.ReportId)}, designation_id AS {nameof(ReportDesignationRow.DesignationId)} " +
        "FROM fu_report_designations WHERE report_id IN @Ids";

    /// <summary>The reports with their designations; recipients are the procureur co-chairs other than the author.</summary>
    public static async Task<IReadOnlyList<FollowUpReportDto>> ToDtosAsync(IDbSession db, IReadOnlyList<FollowUpReportRow> rows, InstanceCircle circle,
        CancellationToken cancellationToken)
    {
        var links = rows.Count == 0 ? []
            : await db.QueryAsync<ReportDesignationRow>(Designations, new { Ids = SqlLists.Ids(rows.Select(r => r.Id)) }, cancellationToken);
        var byReport = links.ToLookup(l => l.ReportId, l => l.DesignationId);
        return rows.Select(r => new FollowUpReportDto(r.Id, r.InstanceId, r.AuthorId, r.PeriodFrom, r.PeriodTo, r.Text, byReport[r.Id].ToList(),
            circle.Procureurs.Where(p => p != r.AuthorId).ToList(), r.SentAt, r.AcknowledgedOn)).ToList();
    }
}

