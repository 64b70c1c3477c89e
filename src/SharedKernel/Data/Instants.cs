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

public static class SqlLists
{
    /// <summary>
    /// GUIDs for a list parameter (`WHERE id IN @Ids`): Dapper expands a list without the type handlers, so the
    /// ids go as their canonical text — what SQLite stores, and what SQL Server converts to uniqueidentifier.
    /// </summary>
    public static string[] Ids(IEnumerable<Guid> ids) => ids.Select(id => id.ToString("D")).Distinct().ToArray();
}
