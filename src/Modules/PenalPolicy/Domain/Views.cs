using System.Globalization;
using System.Text;

namespace EtatMajor.Modules.PenalPolicy.Domain;

/// <summary>POL-1, per procureur and year: `held` (at least one briefing), `pending` (current year, none yet), `missing` (a past year without one: non-compliant).</summary>
internal enum BriefingStatus
{
    Held,
    Pending,
    Missing,
}

/// <summary>POL-2, per instance: `pending` (not delivered, not due yet), `on-time`, `late` (delivered after the due date), `overdue` (not delivered, due date past).</summary>
internal enum SynthesisStatus
{
    Pending,
    OnTime,
    Late,
    Overdue,
}

internal enum ReminderKind
{
    SynthesisOverdue,
    BriefingMissing,
}

internal sealed record BriefingDto(Guid Id, Guid InstanceId, Guid ProcureurOrganisationId, int Year, DateOnly HeldOn, Guid? MeetingId, string Summary,
    DateTimeOffset RecordedAt) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed record ProcureurBriefingsDto(Guid ProcureurOrganisationId, BriefingStatus Status, IReadOnlyList<BriefingDto> Briefings);

internal sealed record BriefingStatusDto(Guid InstanceId, int Year, DateOnly AsOf, string RuleId, string LegalBasis, IReadOnlyList<ProcureurBriefingsDto> Procureurs);

internal sealed record ReportInstanceDto(Guid InstanceId, InstanceKind Kind, SynthesisStatus Status, DateOnly? DeliveredOn, Guid? SynthesisId);

internal sealed record AnnualReportDto(Guid Id, Guid ProcureurOrganisationId, int Year, DateOnly CommunicatedToProcureurGeneralOn, DateOnly SynthesisDueOn,
    DateOnly AsOf, string RuleId, string LegalBasis, IReadOnlyList<ReportInstanceDto> Instances) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed record SynthesisAttachmentDto(int Position, string FileName, string MediaType, string DocumentKind, long SizeBytes, string Sha256);

internal sealed record SynthesisDeliveryDto(Guid InstanceId, DateOnly DeliveredOn, SynthesisStatus Status);

internal sealed record SynthesisDto(Guid Id, Guid ReportId, Guid ProcureurOrganisationId, int Year, DateOnly SynthesisDueOn, string Text, DateTimeOffset DeliveredAt,
    IReadOnlyList<SynthesisDeliveryDto> Deliveries, IReadOnlyList<SynthesisAttachmentDto> Attachments) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed record OpinionDto(Guid Id, Guid InstanceId, string Measure, string MeasureLabel, DateOnly PeriodFrom, DateOnly PeriodTo, string Opinion,
    Guid MeetingId, DateOnly AdoptedOn, string CatalogueVersion, Guid RecordedBy, DateTimeOffset RecordedAt) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed record MeasureDto(string Code, string Label, string LegalBasis, DateOnly? InForceFrom, DateOnly? InForceUntil, string Note);

/// <summary>The catalogue, or the measures in force on a day (`on`); one page: the catalogue is short.</summary>
internal sealed record MeasureCatalogueDto(string CatalogueVersion, DateOnly? On, IReadOnlyList<MeasureDto> Items, string? NextCursor);

/// <summary>One instance and one procureur in the overview of a year.</summary>
internal sealed record ComplianceLine(
    string Departement, Guid InstanceId, InstanceKind InstanceKind, string InstanceName, Guid ProcureurOrganisationId,
    BriefingStatus BriefingStatus, int BriefingsHeld, DateOnly? LastBriefingOn,
    Guid? ReportId, DateOnly? SynthesisDueOn, SynthesisStatus? SynthesisStatus, DateOnly? SynthesisDeliveredOn);

internal sealed record ReminderDto(ReminderKind Kind, Guid InstanceId, Guid ProcureurOrganisationId, int Year, Guid? ReportId, DateOnly DueOn, DateOnly MarkedOn,
    DateOnly? ResolvedOn);

/// <summary>POL-1 and POL-2 for a year, per instance and per procureur; `reminders` are what the daily job marked.</summary>
internal sealed record ComplianceOverviewDto(int Year, DateOnly AsOf, IReadOnlyList<ComplianceLine> Lines, IReadOnlyList<ReminderDto> Reminders)
{
    public string ToCsv()
    {
        var csv = new StringBuilder(Csv.Line("year", "departement", "instanceId", "instanceKind", "instanceName", "procureurOrganisationId", "briefingStatus",
            "briefingsHeld", "lastBriefingOn", "reportId", "synthesisDueOn", "synthesisStatus", "synthesisDeliveredOn", "reminders"));
        var year = Year.ToString(CultureInfo.InvariantCulture);
        foreach (var line in Lines)
        {
            var reminders = Reminders.Where(r => r.InstanceId == line.InstanceId && r.ProcureurOrganisationId == line.ProcureurOrganisationId)
                .Select(r => $"{r.Kind.ToKebab()} {Day(r.MarkedOn)}" + (r.ResolvedOn is { } resolved ? $" resolved {Day(resolved)}" : ""));
            csv.Append(Csv.Line(year, line.Departement, line.InstanceId.ToString(), line.InstanceKind.ToKebab(), line.InstanceName,
                line.ProcureurOrganisationId.ToString(), line.BriefingStatus.ToKebab(), line.BriefingsHeld.ToString(CultureInfo.InvariantCulture),
                Day(line.LastBriefingOn), line.ReportId?.ToString(), Day(line.SynthesisDueOn), line.SynthesisStatus?.ToKebab(), Day(line.SynthesisDeliveredOn),
                string.Join("; ", reminders)));
        }
        return csv.ToString();
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
