using EtatMajor.Modules.PenalPolicy.Features.DeliverSynthesis;
using EtatMajor.Modules.PenalPolicy.Features.DownloadSynthesisAttachment;
using EtatMajor.Modules.PenalPolicy.Features.GetAnnualReport;
using EtatMajor.Modules.PenalPolicy.Features.GetBriefingStatus;
using EtatMajor.Modules.PenalPolicy.Features.GetComplianceOverview;
using EtatMajor.Modules.PenalPolicy.Features.ListAnnualReports;
using EtatMajor.Modules.PenalPolicy.Features.ListMeasures;
using EtatMajor.Modules.PenalPolicy.Features.ListOpinions;
using EtatMajor.Modules.PenalPolicy.Features.ListSyntheses;
using EtatMajor.Modules.PenalPolicy.Features.MarkReminders;
using EtatMajor.Modules.PenalPolicy.Features.RecordAnnualReport;
using EtatMajor.Modules.PenalPolicy.Features.RecordBriefing;
using EtatMajor.Modules.PenalPolicy.Features.RecordOpinion;
using EtatMajor.SharedKernel.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Modules.PenalPolicy;

/// <summary>
/// The penal policy (L132-10-1 I 1° and 2°; R132-6-1 II): each procureur's yearly briefing (POL-1), the synthesis of
/// his annual report within the month (POL-2), the instance's opinions on the art. 41-1 CPP measures (OPN-1), the
/// compliance overview and its daily reminders (docs/penal-policy.md).
/// </summary>
public static class PenalPolicyModule
{
    public static IServiceCollection AddPenalPolicy(this IServiceCollection services)
    {
        services.AddHandlersFrom(typeof(PenalPolicyModule).Assembly);
        services.AddSingleton(new MigrationSource("penal-policy", typeof(PenalPolicyModule).Assembly));
        services.AddScoped<PenalPolicyAccess>();
        services.AddJob<RemindersJob>(RemindersJob.Name, TimeSpan.FromDays(1));
        return services;
    }

    public static IEndpointRouteBuilder MapPenalPolicy(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").WithTags("Penal policy");
        RecordBriefingEndpoint.Map(group);
        GetBriefingStatusEndpoint.Map(group);
        RecordAnnualReportEndpoint.Map(group);
        ListAnnualReportsEndpoint.Map(group);
        GetAnnualReportEndpoint.Map(group);
        DeliverSynthesisEndpoint.Map(group);
        ListSynthesesEndpoint.Map(group);
        DownloadSynthesisAttachmentEndpoint.Map(group);
        RecordOpinionEndpoint.Map(group);
        ListOpinionsEndpoint.Map(group);
        ListMeasuresEndpoint.Map(group);
        GetComplianceOverviewEndpoint.Map(group);
        return endpoints;
    }
}
