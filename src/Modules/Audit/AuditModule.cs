using EtatMajor.Modules.Audit.Domain;
using EtatMajor.Modules.Audit.Features;
using EtatMajor.Modules.Audit.Http;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Mediation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EtatMajor.Modules.Audit;

/// <summary>The access log (loi 78-17 art. 101, LOG-1..3): the audit step of every request, checkpoints, retention, auditors' API.</summary>
public static class AuditModule
{
    /// <summary>The outermost step of the mediator pipeline.</summary>
    public static Type PipelineBehavior => typeof(AuditBehavior<,>);

    /// <summary>Settings required outside Development and Testing (the checkpoint signing key).</summary>
    public static IEnumerable<string> MissingProductionSettings(IConfiguration configuration, IHostEnvironment environment) =>
        CheckpointKey.Required(environment) && string.IsNullOrEmpty(configuration["Audit:SigningKey:Path"])
            ? ["Audit:SigningKey:Path (Audit__SigningKey__Path): an ECDSA P-256 private key in PEM that signs the access-log checkpoints"]
            : [];

    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddHandlersFrom(typeof(AuditModule).Assembly);
        services.AddSingleton(new MigrationSource("audit", typeof(AuditModule).Assembly));
        services.AddSingleton(AuditOptions.From(configuration));
        services.AddSingleton(new CheckpointKey(configuration, environment));
        services.AddSingleton<AuditAppender>();
        services.AddOptions<AuditPaths>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<GroupCommitWriter>());
        services.AddSingleton<CheckpointService>();
        services.AddHostedService(provider => provider.GetRequiredService<CheckpointService>());
        services.AddScoped<AuditContext>();
        services.AddScoped<IAuditContext>(provider => provider.GetRequiredService<AuditContext>());
        return services;
    }

    /// <summary>Names the action of a path that no endpoint serves (the token endpoint of the identity server).</summary>
    public static IServiceCollection AuditUnroutedPath(this IServiceCollection services, string path, AuditAction action) =>
        services.Configure<AuditPaths>(paths => paths.Unrouted[path] = action);

    /// <summary>Place right after routing: it must see the endpoint, and wrap everything else.</summary>
    public static IApplicationBuilder UseAccessLog(this IApplicationBuilder app) => app.UseMiddleware<AuditMiddleware>();

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder endpoints)
    {
        AuditEndpoints.Map(endpoints);
        return endpoints;
    }

    /// <summary>`audit verify FILE --public-key KEY`: the offline verifier (no server, no database).</summary>
    public static Task<int> RunCommandAsync(IReadOnlyList<string> args, TextWriter output) => VerifyCommand.RunAsync(args, output);
}
