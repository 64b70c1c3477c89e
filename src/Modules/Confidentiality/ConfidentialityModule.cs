using EtatMajor.Modules.Confidentiality.Contracts;
using EtatMajor.Modules.Confidentiality.Features;
using EtatMajor.Modules.Confidentiality.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Modules.Confidentiality;

/// <summary>The policy layer (L132-10-1 II; R132-6-1 III): one enforcement point, the rule catalogue.</summary>
public static class ConfidentialityModule
{
    /// <summary>The policy step of the mediator pipeline: after validation, before the transaction.</summary>
    public static Type PipelineBehavior => typeof(PolicyBehavior<,>);

    public static IServiceCollection AddConfidentiality(this IServiceCollection services)
    {
        services.AddScoped<PolicyOutcome>();
        services.AddScoped<IPolicyOutcome>(provider => provider.GetRequiredService<PolicyOutcome>());
        return services;
    }

    public static IEndpointRouteBuilder MapConfidentiality(this IEndpointRouteBuilder endpoints)
    {
        PolicyRulesEndpoint.Map(endpoints);
        return endpoints;
    }
}
