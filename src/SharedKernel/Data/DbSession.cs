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

    Task CommitAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default);
}

public sealed class DbSession(ConnectionFactory factory, ISqlDialect dialect) : IDbSession
{
    private DbConnection? connection;
    private DbTransaction? transaction;

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

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (transaction is null)
        {
            return;
        }
        await transaction.CommitAsync(cancellationToken);
        await transaction.DisposeAsync();
        transaction = null;
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
