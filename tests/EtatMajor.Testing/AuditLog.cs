using System.Data.Common;
using System.Net;
using System.Text.Json;
using Dapper;
using EtatMajor.SharedKernel.Data;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Testing;

/// <summary>
/// The database behind a test's API, on whichever provider it runs: statements through the application's own
/// connection factory, so that the same test reads (and, to inject a fault, alters) SQLite or SQL Server.
/// </summary>
public static class Database
{
    public static DbConnection Open(TestApi api)
    {
        var connection = api.Factory.Services.GetRequiredService<ConnectionFactory>().Create();
        connection.Open();
        return connection;
    }

    public static long Scalar(TestApi api, string sql)
    {
        using var connection = Open(api);
        return Convert.ToInt64(connection.ExecuteScalar(sql), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static void Execute(TestApi api, string sql)
    {
        using var connection = Open(api);
        connection.Execute(sql);
    }

    /// <summary>Rows of a statement of the code (rendered by the application's dialect, as the code sends it).</summary>
    public static List<T> Query<T>(TestApi api, string sql, object? parameters = null)
    {
        using var connection = Open(api);
        return connection.Query<T>(api.Factory.Services.GetRequiredService<ISqlDialect>().Render(sql), parameters).ToList();
    }

    /// <summary>The statement for this test's provider (fault injection differs: SQLite triggers RAISE, SQL Server ones THROW).</summary>
    public static string For(TestApi api, string sqlite, string sqlServer) => api.Factory.Provider == DatabaseProvider.Sqlite ? sqlite : sqlServer;
}

/// <summary>Reads the access log as an auditor does, through the API, and in the database itself.</summary>
public static class AuditLog
{
    /// <summary>Every record of the query (`&amp;name=value…`), page after page of <paramref name="limit"/>.</summary>
    public static async Task<List<JsonElement>> EventsAsync(Actor auditor, string query = "", int limit = 500)
    {
        var events = new List<JsonElement>();
        string? cursor = null;
        do
        {
            using var response = await auditor.Http.GetAsync($"/api/v1/audit/events?limit={limit}{query}{(cursor is null ? "" : "&cursor=" + cursor)}");
            var page = await Json.ReadAsync(response, HttpStatusCode.OK);
            events.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return events;
    }

    public static long Scalar(TestApi api, string sql) => Database.Scalar(api, sql);

    public static void Execute(TestApi api, string sql) => Database.Execute(api, sql);

    public static long Count(TestApi api) => Scalar(api, "SELECT COUNT(*) FROM aud_events");

    public static long Head(TestApi api) => Scalar(api, "SELECT seq FROM aud_head");
}

/// <summary>A fixture that reads the log through the auditors' API and in the database.</summary>
public abstract class AuditorTest(DatabaseProvider provider) : ApiTest(provider)
{
    protected Actor Auditor { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task CreateAuditor() => Auditor = await Api.ActorAsync("auditeur", null, "audit");
}
