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
        try
        {
            using var command = inner.CreateCommand();
            command.CommandText = ConnectionFactory.Sql.SqliteDurability;
            command.ExecuteNonQuery();
        }
        catch
        {
            // Never lent without its durability setting: closed, the next open says it again.
            inner.Close();
            throw;
        }
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

    /// <summary>
    /// BEGIN IMMEDIATE, as Microsoft.Data.Sqlite's own transactions begin, but through this connection's prepared
    /// statements: its transaction object prepared BEGIN and COMMIT anew for every transaction.
    /// </summary>
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        Execute("BEGIN IMMEDIATE");
        return new PreparedTransaction(this, isolationLevel);
    }

    private void Execute(string text)
    {
        var command = Take(text);
        try
        {
            command.ExecuteNonQuery();
        }
        finally
        {
            GiveBack(command);
        }
    }

    /// <summary>True while a transaction is open on the connection (SQLite's own answer, whatever began it).</summary>
    internal bool InTransaction => inner.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0;

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

    /// <summary>Back into the cache, its parameters cleared (nothing of the last request stays bound to it).</summary>
    private void GiveBack(SqliteCommand command)
    {
        command.Parameters.Clear();
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

    /// <summary>A transaction of this connection: COMMIT or ROLLBACK once; disposed unfinished, it rolls back.</summary>
    private sealed class PreparedTransaction(PreparedSqliteConnection connection, IsolationLevel isolationLevel) : DbTransaction
    {
        private bool finished;

        public override IsolationLevel IsolationLevel => isolationLevel == IsolationLevel.Unspecified ? IsolationLevel.Serializable : isolationLevel;
        protected override DbConnection DbConnection => connection;

        public override void Commit() => Finish("COMMIT");

        public override void Rollback() => Finish("ROLLBACK");

        private void Finish(string text)
        {
            ObjectDisposedException.ThrowIf(finished, this);
            finished = true;
            // SQLite may have rolled the transaction back by itself (a full disk, an I/O error): nothing is left to end.
            if (text == "COMMIT" || connection.InTransaction)
            {
                connection.Execute(text);
            }
        }

        public override Task CommitAsync(CancellationToken cancellationToken = default)
        {
            Commit();
            return Task.CompletedTask;
        }

        public override Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            Rollback();
            return Task.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !finished && connection.State == ConnectionState.Open)
            {
                finished = true;
                if (connection.InTransaction)
                {
                    connection.Execute("ROLLBACK");
                }
            }
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
            return ValueTask.CompletedTask;
        }
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
        private DbTransaction? transaction;

        [AllowNull]
        public override string CommandText { get => text; set => text = value ?? ""; }
        /// <summary>The connection string's `Default Timeout`, as Microsoft.Data.Sqlite's own commands have it.</summary>
        public override int CommandTimeout { get; set; } = connection.Inner.DefaultTimeout;
        public override CommandType CommandType { get => CommandType.Text; set => _ = value == CommandType.Text ? value : throw new NotSupportedException("Only text commands."); }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get => connection; set => throw new NotSupportedException("A prepared command stays on its connection."); }
        protected override DbParameterCollection DbParameterCollection => parameters;
        /// <summary>The connection's own transaction (Microsoft.Data.Sqlite's commands know of none: it did not begin it).</summary>
        protected override DbTransaction? DbTransaction { get => transaction; set => transaction = value; }

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
/// The open SQLite connections of this process, each with its prepared statements. Readers are lent for one statement
/// at a time: few connections then serve every request — two cores run at most a few statements at once — and the
/// most recently returned is lent first: its pages are in its cache. In WAL mode a connection drops its whole page
/// cache whenever another connection has committed since its last read; with one connection per request (64 at
/// c = 64) nearly every request read its pages from the file again after each group commit of the access log. Every
/// transaction runs on the one writer connection (<see cref="RentWriterAsync"/>), lent to the holder of the write gate:
/// SQLite writes one transaction at a time anyway, and the writer's cache, which no other connection's commit
/// invalidates, keeps the pages every write touches (the head of the access log, the ends of its indexes).
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
    private DbConnection? writer;
    private bool disposed;

    /// <summary>The writer connection, for the holder of the write gate only (ConnectionFactory.WriteGate).</summary>
    public Task<DbConnection> RentWriterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return OpenedAsync(writer ??= Create(), cancellationToken);
    }

    private DbConnection Create()
    {
        var prepared = new PreparedSqliteConnection(new SqliteConnection(unpooled));
        var connection = wrapper?.Wrap(prepared) ?? prepared;
        behind.AddOrUpdate(connection, prepared);
        return connection;
    }

    public async Task<DbConnection> RentAsync(CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        lock (idle)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            idle.TryPop(out connection);
        }
        return await OpenedAsync(connection ?? Create(), cancellationToken);
    }

    /// <summary>Opened the first time; later a no-op, except behind the fault-injection seam, whose open may fail each time.</summary>
    private async Task<DbConnection> OpenedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch
        {
            Return(connection);
            throw;
        }
        return connection;
    }

    /// <summary>True while a transaction is open on the connection (on the prepared connection behind a wrapper).</summary>
    public bool InTransaction(DbConnection connection) => behind.TryGetValue(connection, out var prepared) && prepared.InTransaction;

    /// <summary>A connection goes back ready for the next statement: no transaction left open on it, or it is closed.</summary>
    public void Return(DbConnection connection)
    {
        var reusable = connection.State == ConnectionState.Open && behind.TryGetValue(connection, out var prepared) && !prepared.InTransaction;
        if (ReferenceEquals(connection, writer))
        {
            if (!reusable || disposed)
            {
                writer = null;
                connection.Dispose();
            }
            return;
        }
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
            if (writer is not null)
            {
                closing.Add(writer);
                writer = null;
            }
        }
        foreach (var connection in closing)
        {
            connection.Dispose();
        }
    }
}
