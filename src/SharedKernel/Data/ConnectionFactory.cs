using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace EtatMajor.SharedKernel.Data;

/// <summary>Opens connections to the configured provider.</summary>
public sealed class ConnectionFactory(DatabaseOptions options)
{
    public DatabaseProvider Provider => options.Provider;

    public DbConnection Create() => options.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteConnection(options.ConnectionString),
        _ => new SqlConnection(options.ConnectionString),
    };

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Create();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
