using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace EtatMajor.SharedKernel.Data;

/// <summary>Opens connections to the configured provider.</summary>
public sealed class ConnectionFactory(DatabaseOptions options)
{
    public DbConnection Create() => options.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteConnection(options.ConnectionString),
        _ => new SqlConnection(options.ConnectionString),
    };

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

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Create();
        await connection.OpenAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Sql.SqliteDurability;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return connection;
    }
}
