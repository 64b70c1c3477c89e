using EtatMajor.SharedKernel.Mediation;
using EtatMajor.Modules.Confidentiality.Features.ListPolicyRules;
using EtatMajor.Modules.Confidentiality.Pipeline;
using EtatMajor.Modules.Confidentiality.Rules;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Modules.Confidentiality;

/// <summary>The policy layer (L132-10-1 II; R132-6-1 III): one enforcement point in two steps, the rules, the catalogue.</summary>
public static class ConfidentialityModule
{
    /// <summary>Policy step 1 of the mediator pipeline, before the transaction: sender rules, the facts (404 for a stranger), the content read and checked, a refusal naming every violation.</summary>
    public static Type ContentStep => typeof(ContentStep<,>);

    /// <summary>Policy step 2, inside the transaction: the facts read, the audience rules, the decision.</summary>
    public static Type DecisionStep => typeof(DecisionStep<,>);

    public static IServiceCollection AddConfidentiality(this IServiceCollection services)
    {
        services.AddHandlersFrom(typeof(ConfidentialityModule).Assembly);
        services.AddScoped<PolicyEvaluation>();
        services.AddScoped<DisclosureFactsReader>();
        services.AddScoped<IPolicyOutcome>(provider => provider.GetRequiredService<PolicyEvaluation>());
        // The rules of this module; other modules add theirs the same way.
        services.AddSingleton<IPolicyRule, ThirdPartyRule>();
        services.AddSingleton<IPolicyRule, CriminalProcedureRule>();
        services.AddSingleton<IPolicyRule, InternalRulesInForceRule>();
        services.AddSingleton<IPolicyRule, AcknowledgementRule>();
        services.AddSingleton<IPolicyRule, ForwardingRule>();
        return services;
    }

    public static IEndpointRouteBuilder MapConfidentiality(this IEndpointRouteBuilder endpoints)
    {
        ListPolicyRulesEndpoint.Map(endpoints);
        return endpoints;
    }
}
