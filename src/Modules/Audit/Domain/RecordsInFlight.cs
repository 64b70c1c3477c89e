using System.Collections.Concurrent;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// LOG-2 (an auditor's reading of the log misses nothing): the instants of the records this process has begun and not yet made durable. A request's record carries the
/// instant the request began but takes its seq when it commits, after the request: until then, a record can still
/// appear with an instant earlier than records already readable. An auditor's page of a period, read in the order
/// records occurred, stops at the oldest of these instants, so that no page can be passed by a record that commits later.
/// </summary>
internal sealed class RecordsInFlight
{
    private readonly ConcurrentDictionary<object, DateTimeOffset> pending = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Registers a record about to take its instant: first with a reading of the clock (a page read meanwhile stops
    /// there), then with its own instant, read only once registered, so never earlier than that first reading.
    /// </summary>
    public DateTimeOffset Begin(object record, Func<DateTimeOffset> instant)
    {
        pending[record] = instant();
        var at = instant();
        pending[record] = at;
        return at;
    }

    /// <summary>The record is durable, or will never be written (idempotent).</summary>
    public void End(object record) => pending.TryRemove(record, out _);

    /// <summary>
    /// The latest instant up to which every record of this process is readable: the oldest instant in flight, or
    /// <paramref name="now"/> (read before this call) when none is. A record of that very instant that commits later
    /// takes a greater seq, so a page that ends on that instant does not pass it.
    /// </summary>
    public DateTimeOffset SettledUpTo(DateTimeOffset now)
    {
        var settled = now;
        foreach (var (_, at) in pending)
        {
            settled = at < settled ? at : settled;
        }
        return settled;
    }
}
