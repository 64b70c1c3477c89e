using EtatMajor.Modules.FollowUp.Features.AcknowledgeFollowUpReport;
using EtatMajor.Modules.FollowUp.Features.AcknowledgeIncidentReport;
using EtatMajor.Modules.FollowUp.Features.AddObligation;
using EtatMajor.Modules.FollowUp.Features.AssignService;
using EtatMajor.Modules.FollowUp.Features.CloseDesignation;
using EtatMajor.Modules.FollowUp.Features.CloseEndedFollowUps;
using EtatMajor.Modules.FollowUp.Features.Designate;
using EtatMajor.Modules.FollowUp.Features.EraseClosedDesignations;
using EtatMajor.Modules.FollowUp.Features.GetDesignation;
using EtatMajor.Modules.FollowUp.Features.ListDesignations;
using EtatMajor.Modules.FollowUp.Features.ListFollowUpReports;
using EtatMajor.Modules.FollowUp.Features.ListIncidentReports;
using EtatMajor.Modules.FollowUp.Features.ModifyObligation;
using EtatMajor.Modules.FollowUp.Features.RecordEvent;
using EtatMajor.Modules.FollowUp.Features.RecordObservation;
using EtatMajor.Modules.FollowUp.Features.RemoveAssignment;
using EtatMajor.Modules.FollowUp.Features.ReviewDesignation;
using EtatMajor.Modules.FollowUp.Features.SendFollowUpReport;
using EtatMajor.SharedKernel.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EtatMajor.Modules.FollowUp;

/// <summary>
/// The follow-up of designated convicted persons (L132-10-1 I 3° and 4°; R132-6-1 III): designations, obligations,
/// assigned services, observations, events through the procureur, reports, review and erasure (docs/follow-up.md).
/// </summary>
public static class FollowUpModule
{
    public static IEnumerable<string> MissingProductionSettings(IConfiguration configuration, IHostEnvironment environment) =>
        FollowUpOptions.MissingProductionSettings(configuration, environment);

    public static IServiceCollection AddFollowUp(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddHandlersFrom(typeof(FollowUpModule).Assembly);
        services.AddSingleton(new MigrationSource("follow-up", typeof(FollowUpModule).Assembly));
        services.AddSingleton(FollowUpOptions.From(configuration, environment));
        services.AddScoped<DesignationAccess>();
        // CONF-1 with the designation's circle, and FLOW-1 on the sender: the policy step takes both.
        services.AddScoped<ISubjectAudience, DesignationAudience>();
        services.AddSingleton<IPolicyRule, JudicialSideRule>();
        services.AddJob<EndedFollowUpsJob>(EndedFollowUpsJob.Name, TimeSpan.FromDays(1));
        services.AddJob<ClosedDesignationsJob>(ClosedDesignationsJob.Name, TimeSpan.FromDays(1));
        return services;
    }

    public static IEndpointRouteBuilder MapFollowUp(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").WithTags("Follow-up");
        DesignateEndpoint.Map(group);
        ListDesignationsEndpoint.Map(group);
        GetDesignationEndpoint.Map(group);
        AddObligationEndpoint.Map(group);
        ModifyObligationEndpoint.Map(group);
        AssignServiceEndpoint.Map(group);
        RemoveAssignmentEndpoint.Map(group);
        RecordObservationEndpoint.Map(group);
        RecordEventEndpoint.Map(group);
        ReviewDesignationEndpoint.Map(group);
        CloseDesignationEndpoint.Map(group);
        ListIncidentReportsEndpoint.Map(group);
        AcknowledgeIncidentReportEndpoint.Map(group);
        SendFollowUpReportEndpoint.Map(group);
        ListFollowUpReportsEndpoint.Map(group);
        AcknowledgeFollowUpReportEndpoint.Map(group);
        return endpoints;
    }
}
