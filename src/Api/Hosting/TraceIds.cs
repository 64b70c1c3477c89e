using System.Buffers.Binary;
using System.Diagnostics;

namespace EtatMajor.Api.Hosting;

/// <summary>
/// W3C trace ids that begin with the time, as a UUIDv7 does: six bytes of milliseconds since the epoch, then ten random
/// bytes (the W3C's "random" part is its seven rightmost bytes). Every request's access-log record carries its trace id,
/// indexed for the auditors (`traceId=`); random ids put each new record on a random page of that index, read from the
/// file and written again whole at every commit once the log outgrows the cache (issue 13: the cost of a record grew
/// with the size of the log). Ordered by time, they are added at the end of the index like the other columns. A trace
/// continued from a caller's `traceparent` keeps the caller's id.
/// </summary>
internal static class TraceIds
{
    public static void UseTimeOrdered(TimeProvider clock) => Activity.TraceIdGenerator = () => Next(clock);

    internal static ActivityTraceId Next(TimeProvider clock)
    {
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, clock.GetUtcNow().ToUnixTimeMilliseconds());
        Span<byte> id = stackalloc byte[16];
        time[2..].CopyTo(id);
        Random.Shared.NextBytes(id[6..]);
        return ActivityTraceId.CreateFromBytes(id);
    }
}
