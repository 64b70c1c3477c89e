using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace EtatMajor.SharedKernel.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>
/// `Database:Provider` (Sqlite by default, or SqlServer) and `ConnectionStrings:EtatMajor`. A relative SQLite
/// file is in the data directory: `Database:DataDirectory` (`--data DIR`, relative to the working directory)
/// when it is set, else `data/` in the content root (the application's folder) — never under whatever
/// directory the process happened to be started from.
/// </summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqliteConnectionString = "Data Source=etatmajor.db";

    public static DatabaseOptions From(IConfiguration configuration, string contentRoot)
    {
        var providerSetting = configuration["Database:Provider"];
        var provider = string.IsNullOrWhiteSpace(providerSetting) ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(providerSetting, ignoreCase: true, out var parsed) ? parsed
            : throw new InvalidOperationException(
                $"Database:Provider '{providerSetting}' is not supported: use Sqlite or SqlServer.");
        var connectionString = configuration.GetConnectionString("EtatMajor");
        return provider switch
        {
            DatabaseProvider.Sqlite => new(provider, NormaliseSqlite(connectionString ?? DefaultSqliteConnectionString,
                configuration["Database:DataDirectory"] is { Length: > 0 } data ? Path.GetFullPath(data) : Path.Combine(contentRoot, "data"))),
            _ => new(provider, string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException("ConnectionStrings:EtatMajor is required when Database:Provider is SqlServer.")
                : connectionString),
        };
    }

    /// <summary>Foreign keys on for every connection; a busy timeout so that concurrent writers wait, not fail.</summary>
    private static string NormaliseSqlite(string connectionString, string dataRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
        };
        if (builder.DefaultTimeout <= 0)
        {
            builder.DefaultTimeout = 30;
        }
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, dataRoot);
        }
        return builder.ToString();
    }

    public string? SqliteFilePath => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnectionStringBuilder(ConnectionString).DataSource
        : null;
}
