using System.Diagnostics.Metrics;
using EtatMajor.SharedKernel.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EtatMajor.Modules.Exchange.Domain;

/// <summary>
/// Issue 15, point 6: the exchanges held for a procureur's review (CONF-2) and still waiting, as two gauges an operator
/// can alert on — how many, and how long the oldest has waited. Read from the database when the metrics are collected
/// (every instance of the API sees the same count), at most every 15 seconds; nothing of an exchange is exported but
/// the count and the age. Without a metrics listener, nothing is read.
/// </summary>
internal sealed class HeldExchangesMetric(IServiceScopeFactory scopes, TimeProvider clock, ILogger<HeldExchangesMetric> logger) : IHostedService
{
    internal static class Sql
    {
        public const string Held =
            "SELECT COUNT(*) AS Waiting, MIN(sent_at) AS OldestSentAt FROM ex_exchanges WHERE status = 'held-for-review'";
    }

    internal sealed class Row
    {
        public long Waiting { get; init; }
        public DateTimeOffset? OldestSentAt { get; init; }
    }

    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(15);
    private readonly Lock gate = new();
    private (long Waiting, double OldestAgeSeconds)? last;
    private DateTimeOffset readAt;
    private ObservableGauge<long>? waiting;
    private ObservableGauge<double>? oldest;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        waiting = Instruments.Meter.CreateObservableGauge<long>("etatmajor.exchanges.held",
            () => Current() is { } held ? [new Measurement<long>(held.Waiting)] : Array.Empty<Measurement<long>>(),
            unit: "{exchange}", description: "Exchanges held for a procureur's review (CONF-2) and not yet released or rejected");
        oldest = Instruments.Meter.CreateObservableGauge<double>("etatmajor.exchanges.held.oldest_age",
            () => Current() is { Waiting: > 0 } held ? [new Measurement<double>(held.OldestAgeSeconds)] : Array.Empty<Measurement<double>>(),
            unit: "s", description: "How long the oldest exchange held for review has waited");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The count and the oldest's age, read again when older than 15 s; nothing when the database cannot say.</summary>
    private (long Waiting, double OldestAgeSeconds)? Current()
    {
        lock (gate)
        {
            if (last is null || clock.GetUtcNow() - readAt >= Fresh)
            {
                try
                {
                    // The collector calls this on its own thread, synchronously.
                    var row = ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
                    last = (row.Waiting, row.OldestSentAt is { } sent ? Math.Max(0, (clock.GetUtcNow() - sent).TotalSeconds) : 0);
                    readAt = clock.GetUtcNow();
                }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    logger.LogWarning("The held exchanges could not be counted for the metrics ({ExceptionType})", e.GetType().Name);
                    last = null;
                }
            }
            return last;
        }
    }

    /// <summary>What the gauges report, read now.</summary>
    internal async Task<Row> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IDbSession>();
        return await db.QuerySingleOrDefaultAsync<Row>(Sql.Held, null, cancellationToken) ?? new Row();
    }
}
