using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace EtatMajor.SharedKernel.Data;

/// <summary>
/// Wraps every connection the factory makes: the seam of the fault-injection tests (issue 14: a failure at open,
/// mid-transaction, at commit). Nothing registers one outside the tests.
/// </summary>
public interface IConnectionWrapper
{
    DbConnection Wrap(DbConnection connection);
}

/// <summary>Opens connections to the configured provider.</summary>
public sealed class ConnectionFactory(DatabaseOptions options, IConnectionWrapper? wrapper = null)
{
    /// <summary>
    /// On SQLite, the writers of this process queue here, first come first served, before they take the database's
    /// one write lock. Without it a writer that finds the lock taken sleeps in SQLite's busy handler with a growing
    /// back-off (up to 100 ms between tries) while a busy writer retakes the lock at once, and the access log's
    /// group commit — which every read waits for — lost that race for hundreds of milliseconds. Null on SQL Server,
    /// which locks rows, and whose several API instances share one server.
    /// </summary>
    public SemaphoreSlim? WriteGate { get; } = options.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    /// <summary>How long a writer waits at the gate: SQLite's own busy timeout (then 503, as a locked database gives).</summary>
    public TimeSpan WriteGateTimeout { get; } = options.Provider == DatabaseProvider.Sqlite
        ? TimeSpan.FromSeconds(new SqliteConnectionStringBuilder(options.ConnectionString).DefaultTimeout)
        : TimeSpan.Zero;

    public DbConnection Create()
    {
        DbConnection connection = options.Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteConnection(options.ConnectionString),
            _ => new SqlConnection(options.ConnectionString),
        };
        return wrapper?.Wrap(connection) ?? connection;
    }

    internal static class Sql
    {
        public const string Ping = "SELECT 1";

        // Every commit reaches the disk before it is acknowledged (the access log relies on it). In WAL mode
        // the default of the bundled SQLite is already FULL; saying it makes it independent of the build.
        public const string SqliteDurability = "PRAGMA synchronous = FULL";
    }

    /// <summary>Opens a connection and runs a trivial statement: true when the database answers.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql.Ping;
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// The SQLite handles (the pooled native connections) already set to <see cref="Sql.SqliteDurability"/>: the
    /// setting belongs to the native connection and survives its return to the pool, so it is said once per handle
    /// instead of once per request (a statement prepared and run for nothing on every open, measured in
    /// docs/performance.md). A handle the pool discards is collected with its entry.
    /// </summary>
    private readonly ConditionalWeakTable<object, object> durableHandles = [];

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Create();
        await connection.OpenAsync(cancellationToken);
        if (connection is SqliteConnection { Handle: { } handle } && !durableHandles.TryGetValue(handle, out _))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Sql.SqliteDurability;
            await command.ExecuteNonQueryAsync(cancellationToken);
            durableHandles.AddOrUpdate(handle, handle);
        }
        return connection;
    }
}
