using System.Data;
using System.Data.Common;
using Dapper;

namespace EtatMajor.SharedKernel.Data;

/// <summary>
/// What a handler uses to read and write: statements on the connection of its unit of work, inside its
/// transaction when there is one. A handler never begins, commits or rolls back: the owner of the unit of
/// work does (<see cref="UnitOfWork"/>).
/// </summary>
public interface IDbSession
{
    bool InTransaction { get; }

    Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Rows one at a time (constant memory, for exports); the connection stays busy until enumerated.</summary>
    IAsyncEnumerable<T> StreamAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// One BLOB, read without loading it into memory: <paramref name="sql"/> selects a rowid alias (an
    /// `INTEGER PRIMARY KEY` column: SQLite then reads the BLOB in place) and then the BLOB (SQL Server reads it
    /// sequentially). Null when no row matches. The connection stays busy until the stream is disposed.
    /// </summary>
    Task<Stream?> OpenBlobAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// One connection and at most one transaction, opened lazily, for one request or one background unit of work.
/// Every statement goes through here so that the dialect renders it for the provider. On SQLite a transaction
/// is BEGIN IMMEDIATE: the write lock is taken up front, so two writers queue on the busy timeout instead of
/// deadlocking when a read lock would have to be upgraded.
/// </summary>
public sealed class DbSession(ConnectionFactory factory, ISqlDialect dialect) : IDbSession, IAsyncDisposable
{
    private DbConnection? connection;
    private DbTransaction? transaction;
    private bool holdsGate;

    public bool InTransaction => transaction is not null;

    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            return;
        }
        var open = await ConnectionAsync(cancellationToken);
        if (factory.WriteGate is { } gate)
        {
            if (!await gate.WaitAsync(factory.WriteGateTimeout, cancellationToken))
            {
                throw new TimeoutException("The database's writers are queued beyond the busy timeout.");
            }
            holdsGate = true;
        }
        try
        {
            transaction = await open.BeginTransactionAsync(cancellationToken);
        }
        catch
        {
            ReleaseGate();
            throw;
        }
    }

    private void ReleaseGate()
    {
        if (holdsGate)
        {
            holdsGate = false;
            factory.WriteGate!.Release();
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (transaction is null)
        {
            return;
        }
        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await transaction.DisposeAsync();
            transaction = null;
            ReleaseGate();
        }
    }

    /// <summary>Abandons the transaction, if any: nothing of it is kept.</summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        if (transaction is null)
        {
            return;
        }
        try
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        finally
        {
            await transaction.DisposeAsync();
            transaction = null;
            ReleaseGate();
        }
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var open = await ConnectionAsync(cancellationToken);
        var rows = await open.QueryAsync<T>(Command(sql, parameters, cancellationToken));
        return rows.AsList();
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var open = await ConnectionAsync(cancellationToken);
        return await open.QuerySingleOrDefaultAsync<T>(Command(sql, parameters, cancellationToken));
    }

    public async Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var open = await ConnectionAsync(cancellationToken);
        return await open.ExecuteAsync(Command(sql, parameters, cancellationToken));
    }

    public async IAsyncEnumerable<T> StreamAsync<T>(string sql, object? parameters = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var open = await ConnectionAsync(cancellationToken);
        await foreach (var row in open.QueryUnbufferedAsync<T>(dialect.Render(sql), parameters, transaction).WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }

    public async Task<Stream?> OpenBlobAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var open = await ConnectionAsync(cancellationToken);
        var reader = await open.ExecuteReaderAsync(Command(sql, parameters, cancellationToken), CommandBehavior.SequentialAccess);
        if (!await reader.ReadAsync(cancellationToken))
        {
            await reader.DisposeAsync();
            return null;
        }
        return new ReaderStream(reader, reader.GetStream(1));
    }

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(dialect.Render(sql), parameters, transaction, cancellationToken: cancellationToken);

    private async Task<DbConnection> ConnectionAsync(CancellationToken cancellationToken) =>
        connection ??= await factory.OpenAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // A transaction still open here was not committed by its owner: nothing of it is kept.
        if (transaction is not null)
        {
            await transaction.DisposeAsync();
            transaction = null;
        }
        ReleaseGate();
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    /// <summary>A BLOB's stream that also closes the reader it comes from.</summary>
    private sealed class ReaderStream(DbDataReader reader, Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await reader.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                reader.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
