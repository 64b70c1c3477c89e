using EtatMajor.Modules.Exchange.Domain;
using EtatMajor.Modules.Exchange.Features;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Mediation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Modules.Exchange;

/// <summary>Confidential exchanges between the members of an instance, behind the policy layer.</summary>
public static class ExchangeModule
{
    public static IServiceCollection AddExchange(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHandlersFrom(typeof(ExchangeModule).Assembly);
        services.AddSingleton(new MigrationSource("exchange", typeof(ExchangeModule).Assembly));
        services.AddSingleton(ExchangeOptions.From(configuration));
        return services;
    }

    public static IEndpointRouteBuilder MapExchange(this IEndpointRouteBuilder endpoints)
    {
        ExchangeEndpoints.Map(endpoints, ExchangeOptionsFrom(endpoints));
        return endpoints;
    }

    private static ExchangeOptions ExchangeOptionsFrom(IEndpointRouteBuilder endpoints) =>
        (ExchangeOptions)endpoints.ServiceProvider.GetService(typeof(ExchangeOptions))!;
}
