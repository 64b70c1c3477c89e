using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using EtatMajor.SharedKernel.Data;
using Microsoft.Data.Sqlite;

namespace EtatMajor.Testing;

/// <summary>Where the next fault strikes.</summary>
public enum FaultPoint
{
    None,

    /// <summary>Every connection's open fails while armed: the database is down.</summary>
    Open,

    /// <summary>The next statement of a transaction after one that wrote (an INSERT, UPDATE or DELETE) fails.</summary>
    MidTransaction,

    /// <summary>The next commit fails.</summary>
    Commit,
}

/// <summary>
/// A fault-injecting connection factory (issue 14, must-have 7): every connection the API makes goes through it
/// (<see cref="IConnectionWrapper"/>), and fails where the test arms it with SQLITE_IOERR, as a failing disk does.
/// SQLite only: the wrapper around SQL Server's connection would be the same, but this machine has no server.
/// </summary>
public sealed class Faults : IConnectionWrapper
{
    private int armed;
    private int injected;

    public FaultPoint Armed => (FaultPoint)Volatile.Read(ref armed);

    /// <summary>How many faults struck since the test began.</summary>
    public int Injected => Volatile.Read(ref injected);

    public void Arm(FaultPoint point) => Volatile.Write(ref armed, (int)point);

    public void Disarm() => Arm(FaultPoint.None);

    public DbConnection Wrap(DbConnection connection) => new FaultyConnection(connection, this);

    /// <summary>Strikes once for a one-shot point (mid-transaction, commit); the open fault holds until disarmed.</summary>
    internal bool Strikes(FaultPoint point)
    {
        var struck = point == FaultPoint.Open
            ? Armed == FaultPoint.Open
            : Interlocked.CompareExchange(ref armed, (int)FaultPoint.None, (int)point) == (int)point;
        if (struck)
        {
            Interlocked.Increment(ref injected);
        }
        return struck;
    }

    internal static SqliteException Fault(string where) => new($"injected fault {where}: disk I/O error", 10);

    [SuppressMessage("Design", "CA2000", Justification = "The wrapper owns the inner connection.")]
    private sealed class FaultyConnection(DbConnection inner, Faults faults) : DbConnection
    {
        internal DbConnection Inner => inner;

        [AllowNull]
        public override string ConnectionString { get => inner.ConnectionString; set => inner.ConnectionString = value; }
        public override string Database => inner.Database;
        public override string DataSource => inner.DataSource;
        public override string ServerVersion => inner.ServerVersion;
        public override ConnectionState State => inner.State;

        public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

        public override void Close() => inner.Close();

        public override void Open()
        {
            if (faults.Strikes(FaultPoint.Open))
            {
                throw Fault("at open");
            }
            inner.Open();
        }

        public override Task OpenAsync(CancellationToken cancellationToken)
        {
            Open();
            return Task.CompletedTask;
        }

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new FaultyTransaction(inner.BeginTransaction(isolationLevel), this, faults);

        protected override DbCommand CreateDbCommand() => new FaultyCommand(inner.CreateCommand(), this, faults);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class FaultyTransaction(DbTransaction inner, FaultyConnection connection, Faults faults) : DbTransaction
    {
        internal DbTransaction Inner => inner;

        /// <summary>A statement of this transaction has written.</summary>
        internal bool Wrote { get; set; }

        public override IsolationLevel IsolationLevel => inner.IsolationLevel;
        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
            if (faults.Strikes(FaultPoint.Commit))
            {
                throw Fault("at commit");
            }
            inner.Commit();
        }

        public override Task CommitAsync(CancellationToken cancellationToken = default)
        {
            Commit();
            return Task.CompletedTask;
        }

        public override void Rollback() => inner.Rollback();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private sealed class FaultyCommand(DbCommand inner, FaultyConnection connection, Faults faults) : DbCommand
    {
        private FaultyTransaction? transaction;

        [AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }
        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }
        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }
        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }
        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }
        protected override DbConnection? DbConnection { get => connection; set { } }
        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => transaction;
            set
            {
                transaction = (FaultyTransaction?)value;
                inner.Transaction = transaction?.Inner;
            }
        }

        public override void Cancel() => inner.Cancel();

        public override void Prepare() => inner.Prepare();

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        private void Before()
        {
            if (transaction is null)
            {
                return;
            }
            if (transaction.Wrote && faults.Strikes(FaultPoint.MidTransaction))
            {
                throw Fault("mid-transaction");
            }
            var verb = inner.CommandText.TrimStart();
            transaction.Wrote |= verb.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || verb.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
                                 || verb.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase);
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            Before();
            return inner.ExecuteReader(behavior);
        }

        public override int ExecuteNonQuery()
        {
            Before();
            return inner.ExecuteNonQuery();
        }

        public override object? ExecuteScalar()
        {
            Before();
            return inner.ExecuteScalar();
        }

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            Before();
            return await inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            Before();
            return inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            Before();
            return inner.ExecuteScalarAsync(cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
