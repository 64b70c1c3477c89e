using EtatMajor.Modules.Exchange.Features.CheckExchange;
using EtatMajor.Modules.Exchange.Features.DownloadAttachment;
using EtatMajor.Modules.Exchange.Features.EraseExpiredExchanges;
using EtatMajor.Modules.Exchange.Features.ForwardExchange;
using EtatMajor.Modules.Exchange.Features.GetExchange;
using EtatMajor.Modules.Exchange.Features.ListExchanges;
using EtatMajor.Modules.Exchange.Features.RejectExchange;
using EtatMajor.Modules.Exchange.Features.ReleaseExchange;
using EtatMajor.Modules.Exchange.Features.SendExchange;
using EtatMajor.SharedKernel.Content;
using EtatMajor.SharedKernel.Jobs;
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
        services.AddSingleton<ContentStore>();
        services.AddSingleton<IContentStore>(provider => provider.GetRequiredService<ContentStore>());
        services.AddJob<AbandonedContentsJob>(AbandonedContentsJob.Name, TimeSpan.FromMinutes(5));
        services.AddJob<ExpiredExchangesJob>(ExpiredExchangesJob.Name, TimeSpan.FromDays(1));
        services.AddSingleton<HeldExchangesMetric>();
        services.AddHostedService(provider => provider.GetRequiredService<HeldExchangesMetric>());
        return services;
    }

    public static IEndpointRouteBuilder MapExchange(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<ExchangeOptions>();
        var bodyLimit = new RequestBodyLimit(options.RequestBodyLimit);
        var group = endpoints.MapGroup("").WithTags("Exchanges");
        SendExchangeEndpoint.Map(group, bodyLimit);
        CheckExchangeEndpoint.Map(group, bodyLimit);
        ListExchangesEndpoint.Map(group);
        GetExchangeEndpoint.Map(group);
        DownloadAttachmentEndpoint.Map(group);
        ForwardExchangeEndpoint.Map(group);
        ReleaseExchangeEndpoint.Map(group);
        RejectExchangeEndpoint.Map(group);
        return endpoints;
    }
}
