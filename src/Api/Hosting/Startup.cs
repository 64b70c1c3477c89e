using EtatMajor.SharedKernel.Law;
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

/// <summary>
/// DATA-1, for the operators: ready, but "degraded" while no authorising act is named — the API answers, and
/// refuses to store any personal data.
/// </summary>
internal sealed class PersonalDataCheck(AuthorisingAct act) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(act.PermitsPersonalData
            ? HealthCheckResult.Healthy($"personal data enabled under the authorising act {act.Reference} (CNIL {act.CnilDeliberation})")
            : HealthCheckResult.Degraded($"personal data disabled: no authorising act named ({string.Join(", ", act.Missing)}, DATA-1)"));
}

internal static class EndpointGuard
{
    /// <summary>
    /// Refuses to start when an /api endpoint declares no access rule (nothing is reachable by accident), no audit
    /// action (nothing escapes the access log unnamed), for a consultation or communication of personal data no
    /// required motif (LOG-1), or, for what collects, changes or communicates personal data, no check of the
    /// authorising act (DATA-1).
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
            .Concat(endpoints.Where(e => e.Metadata.GetMetadata<PersonalData>() is not null
                                         && e.Metadata.GetMetadata<AuditAction>()?.Operation is AuditOperation.Collection or AuditOperation.Modification
                                             or AuditOperation.Communication
                                         && e.Metadata.GetMetadata<StoresPersonalData>() is null)
                .Select(e => $"{e.DisplayName}: what collects, changes or communicates personal data stores it (.StoresPersonalData(), DATA-1)"))
            .ToList();
        if (faults.Count > 0)
        {
            throw new InvalidOperationException("Endpoints declared incompletely: " + string.Join("; ", faults));
        }
    }
}
