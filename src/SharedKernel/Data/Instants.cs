namespace EtatMajor.SharedKernel.Data;

public static class Instants
{
    /// <summary>
    /// Now, in UTC, to the millisecond: what both databases store, so what a write returns is what a read returns.
    /// </summary>
    public static DateTimeOffset Instant(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
