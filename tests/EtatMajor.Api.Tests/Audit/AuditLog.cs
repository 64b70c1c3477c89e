using System.Net;
using System.Text.Json;
using EtatMajor.Api.Tests.Infrastructure;
using EtatMajor.SharedKernel.Data;
using Microsoft.Data.Sqlite;

namespace EtatMajor.Api.Tests.Audit;

/// <summary>Reads the access log as an auditor does, through the API, and the SQLite file directly.</summary>
internal static class AuditLog
{
    public static async Task<List<JsonElement>> EventsAsync(Actor auditor, string query = "")
    {
        var events = new List<JsonElement>();
        string? cursor = null;
        do
        {
            using var response = await auditor.Http.GetAsync($"/api/v1/audit/events?limit=500{query}{(cursor is null ? "" : "&cursor=" + cursor)}");
            var page = await Json.ReadAsync(response, HttpStatusCode.OK);
            events.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return events;
    }

    public static SqliteConnection Open(TestApi api)
    {
        var connection = new SqliteConnection($"Data Source={api.Factory.SqlitePath}");
        connection.Open();
        return connection;
    }

    public static long Scalar(TestApi api, string sql)
    {
        using var connection = Open(api);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static void Execute(TestApi api, string sql)
    {
        using var connection = Open(api);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Count(TestApi api) => Scalar(api, "SELECT COUNT(*) FROM aud_events");

    public static long Head(TestApi api) => Scalar(api, "SELECT seq FROM aud_head");
}

/// <summary>A fixture that reads the log through the auditors' API and the SQLite file itself.</summary>
public abstract class AuditorTest(DatabaseProvider provider) : ApiTest(provider)
{
    protected Actor Auditor { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task CreateAuditor()
    {
        if (Provider != DatabaseProvider.Sqlite)
        {
            Assert.Ignore("These tests also read and alter the SQLite file directly.");
        }
        Auditor = await Api.ActorAsync("auditeur", null, "audit");
    }
}
