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

/// <summary>
/// Opens connections to the configured provider. On SQLite, sessions borrow open connections that keep their prepared
/// statements (<see cref="RentAsync"/>); on SQL Server, whose client pools its own connections, a session opens one.
/// </summary>
public sealed class ConnectionFactory(DatabaseOptions options, IConnectionWrapper? wrapper = null) : IDisposable
{
    private readonly SqliteConnections? sqlite = options.Provider == DatabaseProvider.Sqlite ? new SqliteConnections(options.ConnectionString, wrapper) : null;

    /// <summary>True on SQLite: a session borrows a connection for each statement outside a transaction (<see cref="RentAsync"/>).</summary>
    public bool LendsPerStatement => sqlite is not null;

    /// <summary>
    /// On SQLite, the writers of this process queue here, first come first served, before they take the database's
    /// one write lock. Without it a writer that finds the lock taken sleeps in SQLite's busy handler with a growing
    /// back-off (up to 100 ms between tries) while a busy writer retakes the lock at once, and the access log's
    /// group commit — which every read waits for — lost that race for hundreds of milliseconds. Null on SQL Server,
    /// which locks rows, and whose several API instances share one server.
    /// </summary>
    public SemaphoreSlim? WriteGate { get; } = options.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    /// <summary>On SQLite, the transactions of this process commit in groups (<see cref="CommitGroups"/>); null on SQL Server.
    /// Made by the first holder of the gate (only a holder of the gate uses it).</summary>
    internal CommitGroups? Groups => sqlite is null ? null : groups ??= new CommitGroups(sqlite, this);

    private CommitGroups? groups;

    private int writersWaiting;

    /// <summary>Writers queued at the gate now: with none, a commit group has nobody to wait for (<see cref="CommitGroups"/>).</summary>
    internal int WritersWaiting => Volatile.Read(ref writersWaiting);

    /// <summary>Waits for the write gate (SQLite), counted among the writers waiting; false after the busy timeout.</summary>
    internal async Task<bool> EnterWriteGateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref writersWaiting);
        try
        {
            return await WriteGate!.WaitAsync(WriteGateTimeout, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref writersWaiting);
        }
    }

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

    /// <summary>Runs a trivial statement: true when the database answers.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var connection = await RentAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Sql.Ping;
            await command.ExecuteScalarAsync(cancellationToken);
        }
        finally
        {
            Return(connection);
        }
    }

    /// <summary>
    /// An open connection for a statement or a transaction, given back with <see cref="Return"/>: on SQLite one of the
    /// process's prepared connections, on SQL Server a new one from its client's pool.
    /// </summary>
    public Task<DbConnection> RentAsync(CancellationToken cancellationToken) =>
        sqlite is not null ? sqlite.RentAsync(cancellationToken) : OpenAsync(cancellationToken);

    /// <summary>
    /// The connection of a transaction, for the holder of the write gate: on SQLite the one writer connection, on SQL
    /// Server a new one from its client's pool. Given back with <see cref="Return"/>.
    /// </summary>
    public Task<DbConnection> RentForTransactionAsync(CancellationToken cancellationToken) =>
        sqlite is not null ? sqlite.RentWriterAsync(cancellationToken) : OpenAsync(cancellationToken);

    public void Return(DbConnection connection)
    {
        if (sqlite is not null)
        {
            sqlite.Return(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    /// <summary>Closes the idle SQLite connections (the process stops, or a test deletes its database).</summary>
    public void Dispose() => sqlite?.Dispose();

    /// <summary>
    /// The SQLite handles (the pooled native connections) already set to <see cref="Sql.SqliteDurability"/>: the
    /// setting belongs to the native connection and survives its return to the pool, so it is said once per handle
    /// instead of once per request (a statement prepared and run for nothing on every open, measured in
    /// docs/performance.md). A handle the pool discards is collected with its entry.
    /// </summary>
    private readonly ConditionalWeakTable<object, object> durableHandles = [];

    /// <summary>A new connection of its own for the caller, who disposes it (not one of the prepared connections).</summary>
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
