using EtatMajor.SharedKernel.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EtatMajor.SharedKernel.Jobs;

/// <summary>
/// Runs every registered job on its schedule, on one API instance at a time. The schedule lives in the
/// database (`job_leases`): a job runs when it is due and its lease is free (or expired: a crashed holder is
/// replaced after its lease runs out). The runner owns the job's unit of work: it begins it, lets the job write
/// and enlist its participants, then commits once — the effect, the system records and the next due time
/// together. A failed run commits nothing and frees its lease; the job is still due, and runs again at its next
/// tick (or, if the lease could not be freed, once it expires).
/// `Jobs:RunOnSchedule` (default true) set to false stops the schedule on this instance (the tests run each
/// job when they choose; an operator may keep a maintenance instance out of the rota).
/// </summary>
public sealed class JobRunner(
    IEnumerable<JobDescriptor> jobs, IServiceScopeFactory scopes, ConnectionFactory connections, ISqlDialect dialect, TimeProvider clock,
    IConfiguration configuration, ILogger<JobRunner> logger) : BackgroundService
{
    internal static class Sql
    {
        public const string Ensure =
            "INSERT INTO job_leases (name, holder, lease_until, next_due_at, last_run_at) " +
            "SELECT @Name, NULL, @Now, @Now, NULL WHERE NOT EXISTS (SELECT 1 FROM job_leases WHERE name = @Name)";

        /// <summary>Takes the lease when the job is due (or forced) and nobody holds it, or its holder's lease ran out.</summary>
        public const string Acquire =
            "UPDATE job_leases SET holder = @Holder, lease_until = @Until " +
            "WHERE name = @Name AND (@Force = 1 OR next_due_at <= @Now) AND (holder IS NULL OR lease_until < @Now)";

        /// <summary>In the run's own transaction: the lease is released and the next run scheduled only if the effect commits.</summary>
        public const string Complete =
            "UPDATE job_leases SET holder = NULL, lease_until = @Now, next_due_at = @Next, last_run_at = @Now WHERE name = @Name AND holder = @Holder";

        public const string Release = "UPDATE job_leases SET holder = NULL WHERE name = @Name AND holder = @Holder";

        public const string Leases =
            $"SELECT name AS {nameof(LeaseRow.Name)}, holder AS {nameof(LeaseRow.Holder)}, lease_until AS {nameof(LeaseRow.LeaseUntil)}, " +
            $"next_due_at AS {nameof(LeaseRow.NextDueAt)}, last_run_at AS {nameof(LeaseRow.LastRunAt)} FROM job_leases";
    }

    internal sealed class LeaseRow
    {
        public string Name { get; init; } = "";
        public string? Holder { get; init; }
        public DateTimeOffset LeaseUntil { get; init; }
        public DateTimeOffset NextDueAt { get; init; }
        public DateTimeOffset? LastRunAt { get; init; }
    }

    /// <summary>
    /// For the readiness probe: the jobs late by more than one interval past their due time, and the leases whose holder
    /// stopped without releasing them (another instance takes them over once they expire). Empty when all run on time.
    /// </summary>
    public async Task<(IReadOnlyList<string> Late, int Scheduled)> LateJobsAsync(CancellationToken cancellationToken)
    {
        await using var session = new DbSession(connections, dialect);
        var leases = await session.QueryAsync<LeaseRow>(Sql.Leases, null, cancellationToken);
        var now = clock.GetUtcNow();
        var late = leases.Where(l => byName.TryGetValue(l.Name, out var job) && l.NextDueAt + job.Interval < now)
            .Select(l => $"{l.Name} (due {l.NextDueAt:u}{(l.Holder is not null && l.LeaseUntil < now ? ", its lease expired" : "")})")
            .ToList();
        return (late, leases.Count);
    }

    public bool Scheduled => configuration.GetValue("Jobs:RunOnSchedule", true);

    private readonly Dictionary<string, JobDescriptor> byName = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);

    /// <summary>This process, as a lease holder.</summary>
    private readonly string holder = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        configuration.GetValue("Jobs:RunOnSchedule", true)
            ? Task.WhenAll(byName.Values.Select(job => LoopAsync(job, stoppingToken)))
            : Task.CompletedTask;

    private async Task LoopAsync(JobDescriptor job, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(job.Interval, clock);
        try
        {
            do
            {
                try
                {
                    await RunAsync(job, force: false, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Whatever happens in one run, the schedule goes on.
                    logger.LogError("Job {Job}: the run could not be completed ({ExceptionType}); next try at the next tick", job.Name, e.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a run in progress committed or rolled back; its lease, if held, expires.
        }
    }

    /// <summary>Runs the job if it is due and free; true when it ran and committed.</summary>
    public Task<bool> RunDueAsync(string name, CancellationToken cancellationToken) => RunAsync(byName[name], force: false, cancellationToken);

    /// <summary>Runs the job now, due or not (operators, tests), unless another instance holds it.</summary>
    public Task<bool> RunNowAsync(string name, CancellationToken cancellationToken) => RunAsync(byName[name], force: true, cancellationToken);

    private async Task<bool> RunAsync(JobDescriptor job, bool force, CancellationToken cancellationToken)
    {
        var now = clock.Instant();
        try
        {
            if (!await AcquireAsync(job, now, force, cancellationToken))
            {
                return false;
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Job {Job}: its lease could not be read ({ExceptionType}); next try at the next tick", job.Name, e.GetType().Name);
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var work = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        try
        {
            await work.BeginAsync(cancellationToken);
            await ((IJob)scope.ServiceProvider.GetRequiredService(job.JobType)).RunAsync(new JobRun(now, work), cancellationToken);
            work.Enlist(new Completion(job.Name, holder, now, now + job.Interval));
            await work.CommitAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Job {Job} failed and committed nothing ({ExceptionType}); it is due again", job.Name, e.GetType().Name);
            await AbandonAsync(job, work);
            if (force)
            {
                throw;
            }
            return false;
        }
    }

    /// <summary>After a failed run: nothing of it is kept, and the lease is freed (or, if that fails too, left to expire).</summary>
    private async Task AbandonAsync(JobDescriptor job, UnitOfWork work)
    {
        try
        {
            await work.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning("Job {Job}: rollback failed ({ExceptionType}); the connection is dropped with its transaction", job.Name, e.GetType().Name);
        }
        try
        {
            await ExecuteAloneAsync(Sql.Release, new { job.Name, Holder = holder }, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning("Job {Job}: its lease could not be freed ({ExceptionType}); it expires on its own", job.Name, e.GetType().Name);
        }
    }

    private async Task<bool> AcquireAsync(JobDescriptor job, DateTimeOffset now, bool force, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAloneAsync(Sql.Ensure, new { job.Name, Now = now }, cancellationToken);
        }
        catch (System.Data.Common.DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another instance created the row at the same moment.
        }
        return await ExecuteAloneAsync(Sql.Acquire, new { job.Name, Holder = holder, Until = now + job.LeaseDuration, Now = now, Force = force }, cancellationToken) == 1;
    }

    /// <summary>A statement in a session of its own, committed at once (autocommit): a lease is taken or freed for everyone to see.</summary>
    private async Task<int> ExecuteAloneAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var session = new DbSession(connections, dialect);
        return await session.ExecuteAsync(sql, parameters, cancellationToken);
    }

    private sealed class Completion(string name, string holder, DateTimeOffset now, DateTimeOffset next) : IUnitOfWorkParticipant
    {
        public async Task WriteAsync(IDbSession session, CancellationToken cancellationToken)
        {
            if (await session.ExecuteAsync(Sql.Complete, new { Name = name, Holder = holder, Now = now, Next = next }, cancellationToken) != 1)
            {
                // The lease ran out during the run and another instance took the job: this run must not commit.
                throw new InvalidOperationException($"Job {name} lost its lease before it could commit.");
            }
        }
    }
}

/// <summary>
/// The jobs' leases (issue 15): degraded, still ready, when a job is late by more than one interval (checkpoints,
/// retention and erasure are late: an operator looks), or when the schedule is off on this instance.
/// </summary>
public sealed class JobsReadyCheck(JobRunner runner) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (late, scheduled) = await runner.LateJobsAsync(cancellationToken);
        if (late.Count > 0)
        {
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Degraded($"late: {string.Join("; ", late)}");
        }
        return runner.Scheduled
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy($"{scheduled} job(s) on time")
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Degraded("the schedule is off on this instance (Jobs:RunOnSchedule=false)");
    }
}
