using EtatMajor.SharedKernel;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EtatMajor.Api.Hosting;

/// <summary>
/// Before the server listens: migrations (unless `Database:MigrateOnStartup` is false), then the
/// bootstrap administrator (`Bootstrap:AdminClientId` / `Bootstrap:AdminClientSecret`).
/// </summary>
internal sealed class StartupTasks(IServiceProvider services, IConfiguration configuration, ILogger<StartupTasks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("Database:MigrateOnStartup", true))
        {
            services.GetRequiredService<DatabaseMigrator>().Migrate();
        }
        var clientId = configuration["Bootstrap:AdminClientId"];
        var secret = configuration["Bootstrap:AdminClientSecret"];
        if (string.IsNullOrEmpty(clientId) != string.IsNullOrEmpty(secret))
        {
            throw new StartupConfigurationException("Set both Bootstrap:AdminClientId and Bootstrap:AdminClientSecret, or neither.");
        }
        if (!string.IsNullOrEmpty(clientId))
        {
            await using var scope = services.CreateAsyncScope();
            // This start-up task owns its unit of work: it begins it, the directory writes, it commits.
            var work = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            await work.BeginAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<IClientDirectory>().EnsureAdministratorAsync(clientId, secret!, cancellationToken);
            await work.CommitAsync(cancellationToken);
            logger.LogInformation("Bootstrap administrator client {ClientId} is ready", clientId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Ready when the database answers and every migration is applied.</summary>
internal sealed class DatabaseReadyCheck(ConnectionFactory connections, DatabaseMigrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await connections.PingAsync(cancellationToken);
            var pending = migrator.Pending();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("database reachable, migrations applied")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }
}

internal static class EndpointGuard
{
    /// <summary>
    /// Refuses to start when an /api endpoint declares no access rule (nothing is reachable by accident), no audit
    /// action (nothing escapes the access log unnamed), or, for a consultation or communication of personal data,
    /// no required motif (LOG-1).
    /// </summary>
    public static void EnsureEveryApiEndpointIsProtected(IEndpointRouteBuilder app)
    {
        var endpoints = app.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true).ToList();
        var faults = endpoints.Where(e => e.Metadata.GetMetadata<AccessRule>() is null || e.Metadata.GetMetadata<AuditAction>() is null)
            .Select(e => $"{e.DisplayName}: an access rule (.Allow) and an audit action (.Audit) are required")
            .Concat(endpoints.Where(e => e.Metadata.GetMetadata<PersonalData>() is not null
                                         && e.Metadata.GetMetadata<AuditAction>()?.Operation is AuditOperation.Consultation or AuditOperation.Communication
                                         && e.Metadata.GetMetadata<JustificationRequired>() is null)
                .Select(e => $"{e.DisplayName}: a consultation or communication of personal data requires a motif (.RequireJustification(), LOG-1)"))
            .ToList();
        if (faults.Count > 0)
        {
            throw new InvalidOperationException("Endpoints declared incompletely: " + string.Join("; ", faults));
        }
    }
}
