using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.Modules.Governance.Domain;
using EtatMajor.Modules.Governance.Features.Clients;
using EtatMajor.Modules.Governance.Features.Instances;
using EtatMajor.Modules.Governance.Features.Members;
using EtatMajor.Modules.Governance.Features.InternalRules;
using EtatMajor.Modules.Governance.Features.Meetings;
using EtatMajor.Modules.Governance.Features.Organisations;
using EtatMajor.Modules.Governance.Features.Proposals;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Mediation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Modules.Governance;

/// <summary>Organisations, API clients, instances (EMS, CCOFSI) and their membership.</summary>
public static class GovernanceModule
{
    public static IServiceCollection AddGovernance(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddHandlersFrom(typeof(GovernanceModule).Assembly);
        services.AddScoped<IClientDirectory, ClientDirectory>();
        services.AddSingleton(new MigrationSource("governance", typeof(GovernanceModule).Assembly));
        return services;
    }

    public static IEndpointRouteBuilder MapGovernance(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").WithTags("Governance");
        CreateOrganisationEndpoint.Map(group);
        ReadOrganisationsEndpoints.Map(group);
        ClientEndpoints.Map(group);
        CreateInstanceEndpoint.Map(group);
        ReadInstancesEndpoints.Map(group);
        MemberEndpoints.Map(group);
        ProposalEndpoints.Map(group);
        MeetingEndpoints.Map(group);
        InternalRulesEndpoints.Map(group);
        return endpoints;
    }
}
