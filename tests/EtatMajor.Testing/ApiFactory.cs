using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace EtatMajor.Testing;

/// <summary>
/// The real API in memory (WebApplicationFactory) on a real database: a fresh SQLite file, or a fresh
/// database on the SQL Server named by ETATMAJOR_TEST_SQLSERVER. Tokens come from the real /connect/token.
/// Time is the test's: a <see cref="FakeTimeProvider"/> that starts on <see cref="Start"/> and moves a
/// millisecond at each reading (so that instants stay ordered), and further only when a test advances it.
/// Background jobs do not run by themselves: a test runs one with <see cref="RunJobAsync"/>.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Monday 16 November 2026, 10:00 in Paris: every date the tests write is in its past.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);

    public const string AdminClientId = "test-admin";
    public const string AdminSecret = "test-admin-secret-0123456789";
    public const string SqlServerVariable = "ETATMAJOR_TEST_SQLSERVER";

    private readonly Dictionary<string, string?> settings;
    private readonly string? sqliteDirectory;
    private readonly string? sqlServerDatabase;

    private readonly Action<IServiceCollection>? services;

    /// <param name="services">Registrations a test adds, as another module would (a policy rule, a job).</param>
    public ApiFactory(DatabaseProvider provider = DatabaseProvider.Sqlite, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        this.services = services;
        Provider = provider;
        settings = new()
        {
            ["Bootstrap:AdminClientId"] = AdminClientId,
            ["Bootstrap:AdminClientSecret"] = AdminSecret,
            ["Swagger:Enabled"] = "true",
            // Jobs run when a test says so (RunJobAsync), never behind its back.
            ["Jobs:RunOnSchedule"] = "false",
            // DATA-1: the act a deployment names (a test of its absence removes these).
            ["Processing:AuthorisingAct:Reference"] = "INTX2600001A",
            ["Processing:AuthorisingAct:CnilDeliberation"] = "2026-001",
            // Every test of a fixture comes from one address and its clients ask fast: the limits are tested on their own
            // (RateLimitTests), with their defaults or small ones.
            ["RateLimiting:PerClient:PermitsPerSecond"] = "100000",
            ["RateLimiting:PerClient:Burst"] = "100000",
            ["RateLimiting:Token:RequestsPerAddress"] = "100000",
            ["RateLimiting:Token:FailuresPerAddress"] = "100000",
        };
        if (provider == DatabaseProvider.Sqlite)
        {
            sqliteDirectory = Directory.CreateTempSubdirectory("etatmajor-tests-").FullName;
            SqlitePath = Path.Combine(sqliteDirectory, "etatmajor.db");
            settings["Database:Provider"] = "Sqlite";
            settings["ConnectionStrings:EtatMajor"] = $"Data Source={SqlitePath}";
        }
        else
        {
            var server = Environment.GetEnvironmentVariable(SqlServerVariable)
                ?? throw new InvalidOperationException($"{SqlServerVariable} is not set.");
            sqlServerDatabase = "etatmajor_test_" + Guid.NewGuid().ToString("N")[..12];
            using (var master = new SqlConnection(server))
            {
                master.Open();
                using var create = master.CreateCommand();
                create.CommandText = $"CREATE DATABASE [{sqlServerDatabase}]";
                create.ExecuteNonQuery();
            }
            settings["Database:Provider"] = "SqlServer";
            settings["ConnectionStrings:EtatMajor"] = new SqlConnectionStringBuilder(server) { InitialCatalog = sqlServerDatabase }.ConnectionString;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    public DatabaseProvider Provider { get; }

    public FakeTimeProvider Clock { get; } = new(Start) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    /// <summary>Runs a background job now (due or not), in its own unit of work, as the job runner would.</summary>
    public Task<bool> RunJobAsync(string name) => Services.GetRequiredService<JobRunner>().RunNowAsync(name, CancellationToken.None);

    public string? SqlitePath { get; }

    public string ConnectionString => settings["ConnectionStrings:EtatMajor"]!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(collection =>
        {
            collection.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services?.Invoke(collection);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }
        SqliteConnection.ClearAllPools();
        if (sqliteDirectory is not null && Directory.Exists(sqliteDirectory))
        {
            Directory.Delete(sqliteDirectory, recursive: true);
        }
        if (sqlServerDatabase is not null)
        {
            SqlConnection.ClearAllPools();
            using var master = new SqlConnection(Environment.GetEnvironmentVariable(SqlServerVariable));
            master.Open();
            using var drop = master.CreateCommand();
            drop.CommandText = $"ALTER DATABASE [{sqlServerDatabase}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{sqlServerDatabase}]";
            drop.ExecuteNonQuery();
        }
    }
}
