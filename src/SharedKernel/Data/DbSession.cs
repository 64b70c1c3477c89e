using System.Data.Common;
using Dapper;

namespace EtatMajor.SharedKernel.Data;

/// <summary>
/// One connection and at most one transaction per request (or per background unit of work), opened
/// lazily. Every statement goes through here so that the dialect renders it for the provider.
/// </summary>
public interface IDbSession : IAsyncDisposable
{
    ISqlDialect Dialect { get; }

    bool InTransaction { get; }

    Task BeginAsync(CancellationToken cancellationToken);

    /// <summary>Commits, unless <see cref="HoldCommit"/> was called: then the commit waits for <see cref="CompleteAsync"/>.</summary>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The owner of the unit of work (the access log, for an HTTP request) keeps the transaction open past the
    /// handler, to add its record to it and commit both at once.
    /// </summary>
    void HoldCommit();

    /// <summary>Commits the held transaction, if any.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Abandons the transaction, if any: nothing of it is kept.</summary>
    Task RollbackAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Rows one at a time (constant memory, for exports); the connection stays busy until enumerated.</summary>
    IAsyncEnumerable<T> StreamAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);
}

public sealed class DbSession(ConnectionFactory factory, ISqlDialect dialect) : IDbSession
{
    private DbConnection? connection;
    private DbTransaction? transaction;
    private bool commitHeld;

    public ISqlDialect Dialect => dialect;

    public bool InTransaction => transaction is not null;

    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            return;
        }
        var open = await ConnectionAsync(cancellationToken);
        // On SQLite this is BEGIN IMMEDIATE: the write lock is taken up front, so two writers queue on
        // the busy timeout instead of deadlocking when a read lock would have to be upgraded.
        transaction = await open.BeginTransactionAsync(cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => commitHeld ? Task.CompletedTask : CompleteAsync(cancellationToken);

    public void HoldCommit() => commitHeld = true;

    public async Task CompleteAsync(CancellationToken cancellationToken)
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
        }
    }

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

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(dialect.Render(sql), parameters, transaction, cancellationToken: cancellationToken);

    private async Task<DbConnection> ConnectionAsync(CancellationToken cancellationToken) =>
        connection ??= await factory.OpenAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // A transaction still open here was not committed: the handler failed, so nothing is kept.
        if (transaction is not null)
        {
            await transaction.DisposeAsync();
            transaction = null;
        }
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }
}
