using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace EtatMajor.SharedKernel.Data;

/// <summary>
/// The few differences between SQLite and SQL Server. Statements are written once, in the subset both
/// understand, and rendered for the provider:
/// - paging: a trailing `LIMIT @Take` becomes `OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY` on SQL Server;
/// - lock hints: a table hint written as a comment after the table, `aud_head /*+ UPDLOCK, HOLDLOCK */`,
///   becomes `WITH (UPDLOCK, HOLDLOCK)` on SQL Server and stays a comment on SQLite, where BEGIN IMMEDIATE
///   already holds the database's write lock for the whole transaction.
/// </summary>
public interface ISqlDialect
{
    string Render(string sql);
}

public sealed class SqliteDialect : ISqlDialect
{
    public string Render(string sql) => sql;
}

public sealed partial class SqlServerDialect : ISqlDialect
{
    private readonly ConcurrentDictionary<string, string> rendered = new(StringComparer.Ordinal);

    public string Render(string sql) => rendered.GetOrAdd(sql, static s =>
        TableHint().Replace(TrailingLimit().Replace(s, "OFFSET 0 ROWS FETCH NEXT ${param} ROWS ONLY"), "WITH (${hints})"));

    [GeneratedRegex(@"LIMIT\s+(?<param>@\w+)\s*;?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingLimit();

    [GeneratedRegex(@"/\*\+\s*(?<hints>[A-Z]+(?:\s*,\s*[A-Z]+)*)\s*\*/", RegexOptions.CultureInvariant)]
    private static partial Regex TableHint();
}
