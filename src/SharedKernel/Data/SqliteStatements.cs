using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace EtatMajor.SharedKernel.Data;

/// <summary>
/// An open SQLite connection that keeps its prepared statements (issue 13). Microsoft.Data.Sqlite prepares a command's
/// statements on its first execution and finalises them when the command is disposed, and Dapper makes and disposes
/// a command for every query: every request parsed and planned each of its statements again (SQLite's parser and
/// planner were the largest part of its time, docs/performance.md). The commands made here borrow a prepared command of
/// this connection for their text, and give it back when they are disposed, ready for the next use of that text.
/// Used by one session at a time (<see cref="SqliteConnections"/>); never by two threads at once.
/// </summary>
internal sealed class PreparedSqliteConnection(SqliteConnection inner) : DbConnection
{
    /// <summary>Distinct statements kept per connection: the house's statements are constants, a few hundred at most.</summary>
    private const int MaxStatements = 512;

    private readonly Dictionary<string, SqliteCommand> statements = new(StringComparer.Ordinal);

    internal SqliteConnection Inner => inner;

    /// <summary>Commands made for a text not in the cache, each prepared on its first execution (for the tests).</summary>
    internal int Prepared { get; private set; }

    [AllowNull]
    public override string ConnectionString { get => inner.ConnectionString; set => inner.ConnectionString = value; }
    public override string Database => inner.Database;
    public override string DataSource => inner.DataSource;
    public override string ServerVersion => inner.ServerVersion;
    public override ConnectionState State => inner.State;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

    /// <summary>Opens the connection the first time; a connection already open stays as it is (it is leased again and again).</summary>
    public override void Open()
    {
        if (inner.State == ConnectionState.Open)
        {
            return;
        }
        inner.Open();
        using var command = inner.CreateCommand();
        command.CommandText = ConnectionFactory.Sql.SqliteDurability;
        command.ExecuteNonQuery();
    }

    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        Open();
        return Task.CompletedTask;
    }

    public override void Close()
    {
        DisposeStatements();
        inner.Close();
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => new LeasedCommand(this);

    /// <summary>The prepared command for this text, taken out of the cache while it is used (or a new one).</summary>
    private SqliteCommand Take(string text)
    {
        if (statements.Remove(text, out var command))
        {
            return command;
        }
        command = inner.CreateCommand();
        command.CommandText = text;
        Prepared++;
        return command;
    }

    /// <summary>Back into the cache, its parameters and transaction cleared (nothing of the last request stays bound to it).</summary>
    private void GiveBack(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (inner.State != ConnectionState.Open || statements.Count >= MaxStatements || !statements.TryAdd(command.CommandText, command))
        {
            command.Dispose();
        }
    }

    private void DisposeStatements()
    {
        foreach (var command in statements.Values)
        {
            command.Dispose();
        }
        statements.Clear();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeStatements();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        DisposeStatements();
        await inner.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// What Dapper sees as a command: its text and parameters are its own (Dapper adds the parameters, and rewrites the
    /// text when it expands a list, `IN @Ids`); at execution it borrows this connection's prepared command for its
    /// text and binds them there, and gives it back when it is disposed.
    /// </summary>
    private sealed class LeasedCommand(PreparedSqliteConnection connection) : DbCommand
    {
        private readonly OwnParameters parameters = new();
        private SqliteCommand? leased;
        private string text = "";
        private SqliteTransaction? transaction;

        [AllowNull]
        public override string CommandText { get => text; set => text = value ?? ""; }
        public override int CommandTimeout { get; set; } = 30;
        public override CommandType CommandType { get => CommandType.Text; set => _ = value == CommandType.Text ? value : throw new NotSupportedException("Only text commands."); }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get => connection; set => throw new NotSupportedException("A prepared command stays on its connection."); }
        protected override DbParameterCollection DbParameterCollection => parameters;
        protected override DbTransaction? DbTransaction { get => transaction; set => transaction = (SqliteTransaction?)value; }

        public override void Cancel() => leased?.Cancel();

        public override void Prepare() => Lease().Prepare();

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        /// <summary>The prepared command for the text as it is now, with this command's transaction and parameters.</summary>
        private SqliteCommand Lease()
        {
            if (leased is not null && !string.Equals(leased.CommandText, text, StringComparison.Ordinal))
            {
                connection.GiveBack(leased);
                leased = null;
            }
            leased ??= connection.Take(text);
            leased.Transaction = transaction;
            leased.CommandTimeout = CommandTimeout;
            leased.Parameters.Clear();
            foreach (SqliteParameter parameter in parameters)
            {
                leased.Parameters.Add(parameter);
            }
            return leased;
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Lease().ExecuteReader(behavior);

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            await Lease().ExecuteReaderAsync(behavior, cancellationToken);

        public override int ExecuteNonQuery() => Lease().ExecuteNonQuery();

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Lease().ExecuteNonQueryAsync(cancellationToken);

        public override object? ExecuteScalar() => Lease().ExecuteScalar();

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Lease().ExecuteScalarAsync(cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing && leased is not null)
            {
                connection.GiveBack(leased);
                leased = null;
            }
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
            return ValueTask.CompletedTask;
        }

        /// <summary>Microsoft.Data.Sqlite's own collection (its constructor is protected).</summary>
        private sealed class OwnParameters : SqliteParameterCollection;
    }
}

/// <summary>
/// The open SQLite connections of this process, each with its prepared statements, lent for one statement at a time
/// (or for one transaction). Few connections then serve every request — two cores run at most a few statements at
/// once — and the most recently returned is lent first: its pages are in its cache. In WAL mode a connection drops
/// its whole page cache whenever another connection has committed since its last read; with one connection per
/// request (64 at c = 64) nearly every request read its pages from the file again after each group commit of the
/// access log, with a few warm connections most statements find them in memory.
/// </summary>
internal sealed class SqliteConnections(string connectionString, IConnectionWrapper? wrapper) : IDisposable
{
    /// <summary>Idle connections kept; more are closed when returned (a burst of long transactions made them).</summary>
    private const int MaxIdle = 16;

    private readonly Stack<DbConnection> idle = new();

    /// <summary>
    /// This pool is the only one: Microsoft.Data.Sqlite's own would keep a closed connection's native handle, with
    /// whatever transaction a statement began on it, and hand it to the next connection opened.
    /// </summary>
    private readonly string unpooled = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();

    /// <summary>The prepared connection behind each connection lent (itself, or what the fault-injection seam wraps).</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, PreparedSqliteConnection> behind = [];
    private bool disposed;

    public async Task<DbConnection> RentAsync(CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        lock (idle)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            idle.TryPop(out connection);
        }
        if (connection is null)
        {
            var prepared = new PreparedSqliteConnection(new SqliteConnection(unpooled));
            connection = wrapper?.Wrap(prepared) ?? prepared;
            behind.AddOrUpdate(connection, prepared);
        }
        try
        {
            // Opened the first time; later a no-op, except behind the fault-injection seam, whose open may fail each time.
            await connection.OpenAsync(cancellationToken);
        }
        catch
        {
            Return(connection);
            throw;
        }
        return connection;
    }

    /// <summary>A connection goes back ready for the next statement: no transaction left open on it, or it is closed.</summary>
    public void Return(DbConnection connection)
    {
        var reusable = connection.State == ConnectionState.Open && behind.TryGetValue(connection, out var prepared)
                       && prepared.Inner.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0;
        lock (idle)
        {
            if (reusable && !disposed && idle.Count < MaxIdle)
            {
                idle.Push(connection);
                return;
            }
        }
        connection.Dispose();
    }

    public void Dispose()
    {
        List<DbConnection> closing;
        lock (idle)
        {
            disposed = true;
            closing = [.. idle];
            idle.Clear();
        }
        foreach (var connection in closing)
        {
            connection.Dispose();
        }
    }
}
