using EtatMajor.Modules.Audit.Features.CheckIntegrity;
using EtatMajor.Modules.Audit.Features.ExportEvents;
using EtatMajor.Modules.Audit.Features.ListCheckpoints;
using EtatMajor.Modules.Audit.Features.ListKeys;
using EtatMajor.Modules.Audit.Features.QueryEvents;
using EtatMajor.Modules.Audit.Features.VerifyExport;
using EtatMajor.Modules.Audit.Http;
using EtatMajor.SharedKernel.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EtatMajor.Modules.Audit;

/// <summary>The access log (loi 78-17 art. 101, LOG-1..3): the owner of every request's unit of work, checkpoints, retention, auditors' API.</summary>
public static partial class AuditModule
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
        var options = AuditOptions.From(configuration);
        services.AddHandlersFrom(typeof(AuditModule).Assembly);
        services.AddSingleton(new MigrationSource("audit", typeof(AuditModule).Assembly));
        services.AddSingleton(options);
        services.AddSingleton(new CheckpointKey(configuration, environment));
        services.AddSingleton<AuditAppender>();
        services.AddSingleton<RecordsInFlight>();
        services.AddOptions<AuditPaths>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<GroupCommitWriter>());
        services.AddHealthChecks().AddCheck<AccessLogReadyCheck>("access-log", tags: ["ready"]);
        services.AddScoped<Checkpoints>();
        services.AddHostedService<KeyPublication>();
        services.AddJob<CheckpointJob>(CheckpointJob.Name, options.CheckpointInterval);
        services.AddJob<RetentionJob>(RetentionJob.Name, TimeSpan.FromDays(1));
        services.AddSingleton<ISystemAccessLog, SystemAccessLog>();
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
        var group = endpoints.MapGroup("").WithTags("Access log");
        QueryEventsEndpoint.Map(group);
        ExportEventsEndpoint.Map(group);
        CheckIntegrityEndpoint.Map(group);
        ListCheckpointsEndpoint.Map(group);
        ListKeysEndpoint.Map(group);
        return endpoints;
    }

    /// <summary>`audit verify FILE --public-key KEY.pem`: the offline verifier (no server, no database).</summary>
    public static Task<int> RunCommandAsync(IReadOnlyList<string> args, TextWriter output) => VerifyCommand.RunAsync(args, output);
}
