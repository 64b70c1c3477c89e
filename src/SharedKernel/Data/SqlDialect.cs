using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace EtatMajor.SharedKernel.Data;

/// <summary>
/// The few differences between SQLite and SQL Server. Statements are written once, in the subset both
/// understand; the only rewrite is paging: a trailing `LIMIT @Take` becomes OFFSET … FETCH on SQL Server.
/// </summary>
public interface ISqlDialect
{
    DatabaseProvider Provider { get; }

    string Render(string sql);
}

public sealed partial class SqliteDialect : ISqlDialect
{
    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string Render(string sql) => sql;
}

public sealed partial class SqlServerDialect : ISqlDialect
{
    private readonly ConcurrentDictionary<string, string> rendered = new(StringComparer.Ordinal);

    public DatabaseProvider Provider => DatabaseProvider.SqlServer;

    public string Render(string sql) => rendered.GetOrAdd(sql, static s =>
        TrailingLimit().Replace(s, "OFFSET 0 ROWS FETCH NEXT ${param} ROWS ONLY"));

    [GeneratedRegex(@"LIMIT\s+(?<param>@\w+)\s*;?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingLimit();
}
