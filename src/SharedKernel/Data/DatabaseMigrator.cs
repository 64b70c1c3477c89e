using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EtatMajor.SharedKernel.Data;

/// <summary>A module's migrations: embedded `Data/Sqlite/*.sql` and `Data/SqlServer/*.sql` scripts.</summary>
public sealed record MigrationSource(string Module, Assembly Assembly);

/// <summary>
/// Applies every module's plain SQL scripts with DbUp, one module after the other, into one journal
/// table. Runs at start-up and from the `migrate` command.
/// </summary>
public sealed class DatabaseMigrator(DatabaseOptions options, IEnumerable<MigrationSource> sources, ILogger<DatabaseMigrator> logger)
{
    public const string JournalTable = "db_migrations";

    /// <summary>Applies every script not yet applied (<paramref name="include"/>, for tests of an upgrade: only the scripts it accepts).</summary>
    public void Migrate(Func<string, bool>? include = null)
    {
        PrepareSqlite();
        foreach (var source in sources)
        {
            var result = Engine(source, include).PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Migration of module '{source.Module}' failed at script '{result.ErrorScript?.Name}'.", result.Error);
            }
            foreach (var script in result.Scripts)
            {
                logger.LogInformation("Applied migration {Script}", script.Name);
            }
        }
    }

    /// <summary>Scripts not yet applied (for the readiness probe).</summary>
    public IReadOnlyList<string> Pending() =>
        sources.SelectMany(source => Engine(source).GetScriptsToExecute().Select(s => s.Name)).ToList();

    /// <summary>The SQL Server scripts of every module, for the ScriptDom test.</summary>
    public static IEnumerable<(string Name, string Text)> Scripts(Assembly assembly, DatabaseProvider provider)
    {
        var marker = $".Data.{provider}.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(marker, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name, reader.ReadToEnd());
        }
    }

    private UpgradeEngine Engine(MigrationSource source, Func<string, bool>? include = null)
    {
        var marker = $".Data.{options.Provider}.";
        var builder = options.Provider == DatabaseProvider.Sqlite
            ? DeployChanges.To.SqliteDatabase(options.ConnectionString).JournalToSqliteTable(JournalTable)
            : DeployChanges.To.SqlDatabase(options.ConnectionString).JournalToSqlTable("dbo", JournalTable);
        return builder
            .WithScriptsEmbeddedInAssembly(source.Assembly, name => name.Contains(marker, StringComparison.Ordinal) && (include?.Invoke(name) ?? true))
            .WithTransactionPerScript()
            // An index built on a large table (the access log at ten million records: minutes) must not meet the
            // provider's default command timeout of 30 s halfway through a migration.
            .WithExecutionTimeout(TimeSpan.FromHours(1))
            .LogTo(new NoLog())
            .Build();
    }

    private void PrepareSqlite()
    {
        if (options.Provider != DatabaseProvider.Sqlite || options.SqliteFilePath is not { } path)
        {
            return;
        }
        if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        // WAL lets readers proceed while one writer commits; the setting is stored in the database file.
        using var connection = new SqliteConnection(options.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    private sealed class NoLog : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) { }
        public void LogWarning(string format, params object[] args) { }
        public void LogError(string format, params object[] args) { }
        public void LogError(Exception ex, string format, params object[] args) { }
    }
}
