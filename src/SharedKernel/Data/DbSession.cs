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
/// The statements of one request or one background unit of work, and at most one transaction. Every statement goes
/// through here so that the dialect renders it for the provider. On SQLite a statement outside a transaction borrows
/// one of the process's prepared connections for its own duration (<see cref="ConnectionFactory.RentAsync"/>): each
/// such statement reads its own snapshot, as it did in autocommit mode on a connection of its own; a transaction keeps
/// its connection from begin to commit. On SQL Server the session keeps one connection. A SQLite transaction is
/// BEGIN IMMEDIATE: the write lock is taken up front, so two writers queue on the busy timeout instead of deadlocking
/// when a read lock would have to be upgraded.
/// </summary>
public sealed class DbSession(ConnectionFactory factory, ISqlDialect dialect) : IDbSession, IAsyncDisposable
{
    /// <summary>The transaction's connection (and on SQL Server the session's), held until it ends.</summary>
    private DbConnection? pinned;
    private DbTransaction? transaction;
    private bool holdsGate;

    /// <summary>On SQLite, this session's transaction as a member of a commit group (then <see cref="transaction"/> is the group's).</summary>
    private CommitGroups.Member? member;

    public bool InTransaction => transaction is not null;

    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            return;
        }
        // The gate first (SQLite): its holder alone uses the writer connection.
        if (factory.WriteGate is not null)
        {
            if (!await factory.EnterWriteGateAsync(cancellationToken))
            {
                throw new TimeoutException("The database's writers are queued beyond the busy timeout.");
            }
            holdsGate = true;
        }
        try
        {
            if (factory.Groups is { } groups)
            {
                member = await groups.BeginAsync(cancellationToken);
                pinned = member.Connection;
                transaction = member.Transaction;
                return;
            }
            var open = pinned ??= await factory.RentForTransactionAsync(cancellationToken);
            transaction = await open.BeginTransactionAsync(cancellationToken);
        }
        catch
        {
            Unpin();
            ReleaseGate();
            throw;
        }
    }

    /// <summary>
    /// The member's part ends: the writer stays with its group (never given back here), and the gate opens for the
    /// next writer, who may join the same group.
    /// </summary>
    private void EndMember()
    {
        member = null;
        transaction = null;
        pinned = null;
        ReleaseGate();
    }

    private void ReleaseGate()
    {
        if (holdsGate)
        {
            holdsGate = false;
            factory.WriteGate!.Release();
        }
    }

    /// <summary>On SQLite the transaction's connection goes back once it ends; SQL Server's stays with the session.</summary>
    private void Unpin()
    {
        if (pinned is not null && factory.LendsPerStatement)
        {
            factory.Return(pinned);
            pinned = null;
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (transaction is null)
        {
            return;
        }
        if (member is not null)
        {
            Task durable;
            try
            {
                durable = factory.Groups!.Commit(member);
            }
            finally
            {
                EndMember();
            }
            // The gate is open again: the writers queued meanwhile join the group, whose commit this waits for.
            await durable;
            return;
        }
        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await EndAsync();
        }
    }

    /// <summary>Abandons the transaction, if any: nothing of it is kept.</summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        if (transaction is null)
        {
            return;
        }
        if (member is not null)
        {
            RollbackMember();
            return;
        }
        try
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        finally
        {
            await EndAsync();
        }
    }

    private void RollbackMember()
    {
        try
        {
            factory.Groups!.Rollback(member!);
        }
        finally
        {
            EndMember();
        }
    }

    private async Task EndAsync()
    {
        try
        {
            await transaction!.DisposeAsync();
        }
        finally
        {
            transaction = null;
            Unpin();
            ReleaseGate();
        }
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        using var span = Span(sql);
        var lease = await AcquireAsync(cancellationToken);
        try
        {
            var rows = await lease.Connection.QueryAsync<T>(Command(sql, parameters, cancellationToken));
            return rows.AsList();
        }
        finally
        {
            Release(lease);
        }
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        using var span = Span(sql);
        var lease = await AcquireAsync(cancellationToken);
        try
        {
            return await lease.Connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters, cancellationToken));
        }
        finally
        {
            Release(lease);
        }
    }

    public async Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        using var span = Span(sql);
        var lease = await AcquireAsync(cancellationToken);
        try
        {
            return await lease.Connection.ExecuteAsync(Command(sql, parameters, cancellationToken));
        }
        finally
        {
            Release(lease);
        }
    }

    public async IAsyncEnumerable<T> StreamAsync<T>(string sql, object? parameters = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lease = await AcquireAsync(cancellationToken);
        try
        {
            await foreach (var row in lease.Connection.QueryUnbufferedAsync<T>(dialect.Render(sql), parameters, transaction).WithCancellation(cancellationToken))
            {
                yield return row;
            }
        }
        finally
        {
            Release(lease);
        }
    }

    public async Task<Stream?> OpenBlobAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var lease = await AcquireAsync(cancellationToken);
        var held = false;
        DbDataReader? reader = null;
        try
        {
            reader = await lease.Connection.ExecuteReaderAsync(Command(sql, parameters, cancellationToken), CommandBehavior.SequentialAccess);
            if (await reader.ReadAsync(cancellationToken))
            {
                // The stream holds the reader and the connection until it is disposed.
                var stream = new ReaderStream(reader, reader.GetStream(1), () => Release(lease));
                reader = null;
                held = true;
                return stream;
            }
            return null;
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }
            if (!held)
            {
                Release(lease);
            }
        }
    }

    /// <summary>The statement's span (issue 15), when traces are exported.</summary>
    private System.Diagnostics.Activity? Span(string sql) =>
        Telemetry.Instruments.Statement(factory.LendsPerStatement ? "sqlite" : "microsoft.sql_server", sql);

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(dialect.Render(sql), parameters, transaction, cancellationToken: cancellationToken);

    /// <summary>
    /// The connection for one statement: the transaction's (or on SQL Server the session's), else one borrowed for it
    /// alone (<see cref="Lease.Borrowed"/>), which <see cref="Release"/> gives back — and only that one: a stream still
    /// read after its transaction ended must not give back the writer, lent meanwhile to another session.
    /// </summary>
    private async ValueTask<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        if (pinned is not null)
        {
            return new Lease(pinned, Borrowed: false);
        }
        if (!factory.LendsPerStatement)
        {
            return new Lease(pinned = await factory.OpenAsync(cancellationToken), Borrowed: false);
        }
        return new Lease(await factory.RentAsync(cancellationToken), Borrowed: true);
    }

    private void Release(Lease lease)
    {
        if (lease.Borrowed)
        {
            factory.Return(lease.Connection);
        }
    }

    private readonly record struct Lease(DbConnection Connection, bool Borrowed);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A transaction still open here was not committed by its owner: nothing of it is kept (its rollback may
            // fail on a failing disk: the writer, still in its transaction, is then closed by Return, never lent again).
            if (member is not null)
            {
                RollbackMember();
            }
            else if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
        finally
        {
            transaction = null;
            // SQLite's writer goes back before the gate opens for the next writer; SQL Server's connection is the session's.
            Unpin();
            ReleaseGate();
        }
        if (pinned is not null)
        {
            await pinned.DisposeAsync();
            pinned = null;
        }
    }

    /// <summary>A BLOB's stream that also closes the reader it comes from and gives its connection back, once.</summary>
    private sealed class ReaderStream(DbDataReader reader, Stream inner, Action release) : Stream
    {
        private Action? released = release;

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
            Interlocked.Exchange(ref released, null)?.Invoke();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                reader.Dispose();
                Interlocked.Exchange(ref released, null)?.Invoke();
            }
            base.Dispose(disposing);
        }
    }
}
