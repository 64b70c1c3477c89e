using System.Diagnostics.Metrics;
using EtatMajor.SharedKernel.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EtatMajor.Modules.Exchange.Domain;

/// <summary>
/// Issue 15, point 6: the exchanges held for a procureur's review (CONF-2) and still waiting, as two gauges an operator
/// can alert on — how many, and how long the oldest has waited. Every instance of the API reads the same count from the
/// database. A loop reads it at start, then every 15 seconds while someone listens to the gauges, with a timeout; the
/// gauges report the last reading, and nothing when the last reading failed (the database's health says why). Nothing
/// of an exchange is exported but the count and the age. The meter is this host's (IMeterFactory): it goes with it.
/// </summary>
internal sealed class HeldExchangesMetric(IServiceScopeFactory scopes, IMeterFactory meters, TimeProvider clock, ILogger<HeldExchangesMetric> logger)
    : BackgroundService
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

    private static readonly TimeSpan Every = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private volatile Reading? last;

    private sealed record Reading(long Waiting, DateTimeOffset? OldestSentAt);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var meter = meters.Create(Instruments.Name);
        var waiting = meter.CreateObservableGauge<long>("etatmajor.exchanges.held",
            () => last is { } held ? [new Measurement<long>(held.Waiting)] : Array.Empty<Measurement<long>>(),
            unit: "{exchange}", description: "Exchanges held for a procureur's review (CONF-2) and not yet released or rejected");
        var oldest = meter.CreateObservableGauge<double>("etatmajor.exchanges.held.oldest_age",
            () => last is { OldestSentAt: { } sent }
                ? [new Measurement<double>(Math.Max(0, (clock.GetUtcNow() - sent).TotalSeconds))]
                : Array.Empty<Measurement<double>>(),
            unit: "s", description: "How long the oldest exchange held for review has waited");
        using var timer = new PeriodicTimer(Every, clock);
        var first = true;
        do
        {
            // Once at start (a listener attached later then has a value at once), then only while someone listens.
            if (!first && !waiting.Enabled && !oldest.Enabled)
            {
                continue;
            }
            first = false;
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                bounded.CancelAfter(Timeout);
                var row = await ReadAsync(bounded.Token);
                last = new Reading(row.Waiting, row.OldestSentAt);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException
                                          || (e is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                logger.LogWarning("The held exchanges could not be counted for the metrics ({ExceptionType})", e.GetType().Name);
                last = null;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>What the gauges report, read now.</summary>
    internal async Task<Row> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IDbSession>();
        return await db.QuerySingleOrDefaultAsync<Row>(Sql.Held, null, cancellationToken) ?? new Row();
    }
}
