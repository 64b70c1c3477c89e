using System.Threading.Channels;
using EtatMajor.SharedKernel.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// Group commit for the records that do not ride on a command's transaction (reads, denials, failures):
/// one writer drains the queue, appends everything waiting in one transaction (one fsync), then releases
/// each waiting request. A request is answered only once its record is durable; if the batch fails, every
/// request of the batch is answered 503.
/// </summary>
internal sealed class GroupCommitWriter(ConnectionFactory connections, ISqlDialect dialect, AuditAppender appender, ILogger<GroupCommitWriter> logger)
    : BackgroundService
{
    private const int MaxBatch = 512;

    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(50_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private sealed record Pending(AuditRecord Record, TaskCompletionSource Durable);

    // The order of the batches' outcomes (a counter, not a clock: two batches can end within one tick of it).
    private long outcomes;
    private long lastCommitted;
    private long lastFailed;

    /// <summary>For the readiness probe: the last batch failed, and none has committed since (the access log refuses every request).</summary>
    public bool Failing => Interlocked.Read(ref lastFailed) > Interlocked.Read(ref lastCommitted);

    /// <summary>Records waiting for the next batch.</summary>
    public int Waiting => queue.Reader.Count;

    internal static class Sql
    {
        /// <summary>A write that changes nothing: it needs the write lock and a durable commit, as a batch does.</summary>
        public const string Probe = "UPDATE aud_head SET seq = seq WHERE id = 1";
    }

    /// <summary>
    /// While failing, the readiness probe asks: can a commit be made durable now? Without it, an instance taken out of
    /// the load balancer after one failed batch would get no request, so no batch, and stay out for good.
    /// </summary>
    public async Task<bool> RecoveredAsync(CancellationToken cancellationToken)
    {
        if (!Failing)
        {
            return true;
        }
        try
        {
            await using var session = new DbSession(connections, dialect);
            await session.BeginAsync(cancellationToken);
            await session.ExecuteAsync(Sql.Probe, null, cancellationToken);
            await session.CommitAsync(cancellationToken);
            Interlocked.Exchange(ref lastCommitted, Interlocked.Increment(ref outcomes));
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Completes when the record is committed; throws when it could not be.</summary>
    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var pending = new Pending(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Durable.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                await CommitAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is answered below.
        }
        queue.Writer.TryComplete();
        batch.Clear();
        while (queue.Reader.TryRead(out var left))
        {
            batch.Add(left);
        }
        await CommitAsync(batch);
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            // The writer owns this small unit of work: one transaction, one commit (one fsync) for the whole batch.
            await using var session = new DbSession(connections, dialect);
            await session.BeginAsync(CancellationToken.None);
            await appender.AppendAsync(session, batch.Select(p => p.Record).ToList(), CancellationToken.None);
            await session.CommitAsync(CancellationToken.None);
            Interlocked.Exchange(ref lastCommitted, Interlocked.Increment(ref outcomes));
            Instruments.AccessLogBatchSize.Record(batch.Count);
            Instruments.AccessLogCommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            foreach (var pending in batch)
            {
                pending.Durable.TrySetResult();
            }
        }
        catch (Exception e)
        {
            logger.LogError("The access log could not commit {Count} record(s): {ExceptionType}", batch.Count, e.GetType().Name);
            Interlocked.Exchange(ref lastFailed, Interlocked.Increment(ref outcomes));
            foreach (var pending in batch)
            {
                pending.Durable.TrySetException(new AuditUnavailableException(e));
            }
        }
    }
}

/// <summary>The record could not be made durable: the request must not be answered with data (fail closed).</summary>
internal sealed class AuditUnavailableException(Exception inner) : Exception("The access log is unavailable.", inner);

/// <summary>
/// Ready only while the access log writes: when its last batch failed, and a probe commit fails too, requests are
/// refused (503, fail closed), and the load balancer should send them to another instance.
/// </summary>
internal sealed class AccessLogReadyCheck(GroupCommitWriter writer) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await writer.RecoveredAsync(cancellationToken)
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy($"the access log writes ({writer.Waiting} record(s) waiting)")
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy(
                $"the access log cannot make a record durable ({writer.Waiting} record(s) waiting): requests are refused");
}
