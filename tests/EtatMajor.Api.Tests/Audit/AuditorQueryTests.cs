using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EtatMajor.Modules.Audit.Domain;
using EtatMajor.Modules.Audit.Features.QueryEvents;
using EtatMajor.SharedKernel.Data;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Api.Tests.Audit;

/// <summary>
/// Issue 13: an auditor's page seeks the index of one filter and applies every other one; a period pages in the order
/// the records occurred, its cursor carrying the instant and the seq. The rows are written straight into the table
/// (INSERT is what the log allows), with instants out of seq order on purpose, far above the API's own records.
/// </summary>
public sealed class AuditorQueryTests(DatabaseProvider provider) : AuditorTest(provider)
{
    private sealed record Row(long Seq, string At, string Client, string Organisation, string Action, string Outcome, string Type, string Resource,
        string Related, string Trace, string? OnBehalfOf)
    {
        public string Operation => Seq % 7 == 0 ? "consultation" : "erasure";
    }

    private static readonly DateTimeOffset Base = new(2020, 1, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly string OrganisationA = "6f1d2c3b-0000-4000-8000-00000000000a";
    private static readonly string OrganisationB = "6f1d2c3b-0000-4000-8000-00000000000b";

    // 40 records: instants cycle over 13 seconds (out of seq order, several per second), every filter varies.
    private static readonly List<Row> Rows = Enumerable.Range(0, 40).Select(i => new Row(
        1_000_000 + i,
        (Base + TimeSpan.FromSeconds(i * 7 % 13)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        i % 2 == 0 ? "c-q-a" : "c-q-b",
        i % 3 == 0 ? OrganisationA : OrganisationB,
        (i % 3) switch { 0 => "q.read", 1 => "q.send", _ => "q.list" },
        (i % 5) switch { 3 => "denied", 4 => "failed", _ => "allowed" },
        i % 4 < 2 ? "q-type-x" : "q-type-y",
        $"r-q-{i % 6}",
        $"rel-q-{i % 3}",
        $"t-q-{i % 10}",
        i % 4 == 0 ? "agent-q" : null)).ToList();

    [OneTimeSetUp]
    public void WriteTheRows()
    {
        foreach (var r in Rows)
        {
            Database.Execute(Api,
                "INSERT INTO aud_events (seq, id, occurred_at, client_id, organisation_id, organisation_kind, on_behalf_of, action, operation, resource_type, " +
                "resource_id, related_resource_id, recipients, justification, outcome, status, rule_id, route, trace_id, duration_ms, prev_hash, hash) VALUES " +
                $"({r.Seq}, '{Guid.NewGuid()}', '{r.At}', '{r.Client}', '{r.Organisation}', 'prefet', {(r.OnBehalfOf is null ? "NULL" : $"'{r.OnBehalfOf}'")}, " +
                $"'{r.Action}', '{r.Operation}', '{r.Type}', '{r.Resource}', '{r.Related}', NULL, NULL, '{r.Outcome}', 200, NULL, '/q', '{r.Trace}', 1, 'p', 'h')");
        }
    }

    private static readonly (string Query, Func<Row, bool> Match)[] SeqOrderQueries =
    [
        ("resourceId=r-q-1", r => r.Resource == "r-q-1"),
        ("resourceId=r-q-2&outcome=allowed", r => r.Resource == "r-q-2" && r.Outcome == "allowed"),
        ("relatedResourceId=rel-q-2&clientId=c-q-a", r => r.Related == "rel-q-2" && r.Client == "c-q-a"),
        ("traceId=t-q-3", r => r.Trace == "t-q-3"),
        ("clientId=c-q-a", r => r.Client == "c-q-a"),
        ("clientId=c-q-b&action=q.send&outcome=allowed", r => r.Client == "c-q-b" && r.Action == "q.send" && r.Outcome == "allowed"),
        ($"organisationId={OrganisationA}", r => r.Organisation == OrganisationA),
        ("action=q.list", r => r.Action == "q.list"),
        ("action=q.read&resourceType=q-type-y", r => r.Action == "q.read" && r.Type == "q-type-y"),
        ("resourceType=q-type-x", r => r.Type == "q-type-x"),
        ("outcome=failed&operation=erasure", r => r.Outcome == "failed" && r.Operation == "erasure"),
        ("onBehalfOf=agent-q", r => r.OnBehalfOf == "agent-q"),
        ("onBehalfOf=agent-q&operation=consultation", r => r.OnBehalfOf == "agent-q" && r.Operation == "consultation"),
        ("clientId=c-q-a&traceId=t-q-4", r => r.Client == "c-q-a" && r.Trace == "t-q-4"),
        ("action=q.read&onBehalfOf=agent-q", r => r.Action == "q.read" && r.OnBehalfOf == "agent-q"),
        ($"resourceType=q-type-x&organisationId={OrganisationA}", r => r.Type == "q-type-x" && r.Organisation == OrganisationA),
        ("clientId=c-q-b&relatedResourceId=rel-q-1&outcome=allowed", r => r.Client == "c-q-b" && r.Related == "rel-q-1" && r.Outcome == "allowed"),
    ];

    private Task<List<JsonElement>> PagesAsync(string query, int limit = 3) => AuditLog.EventsAsync(Auditor, "&" + query, limit);

    [Test]
    public async Task LOG_2_every_filter_and_combination_pages_exactly_its_records_in_seq_order()
    {
        foreach (var (query, match) in SeqOrderQueries)
        {
            var expected = Rows.Where(match).Select(r => r.Seq).ToList();
            var seqs = (await PagesAsync(query)).Select(e => e.GetProperty("seq").GetInt64()).ToList();
            Assert.That(expected, Is.Not.Empty, query);
            Assert.That(seqs, Is.EqualTo(expected), query);
        }
    }

    [Test]
    public async Task LOG_2_a_period_pages_in_the_order_records_occurred_then_by_seq_across_ties_and_page_ends()
    {
        var from = Base.AddSeconds(2);
        var to = Base.AddSeconds(9);
        var expected = Rows
            .Where(r => r.Client == "c-q-a" && string.CompareOrdinal(r.At, Instant(from)) >= 0 && string.CompareOrdinal(r.At, Instant(to)) < 0)
            .OrderBy(r => r.At, StringComparer.Ordinal).ThenBy(r => r.Seq).Select(r => r.Seq).ToList();
        var query = $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&clientId=c-q-a";

        var seqs = (await PagesAsync(query, limit: 2)).Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(expected, Has.Count.GreaterThan(6), "several records of one second, so that pages end among them");
            Assert.That(expected, Is.Not.Ordered, "instants out of seq order, so that the order is proven");
            Assert.That(seqs, Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task LOG_2_a_cursor_of_the_other_kind_of_page_is_refused()
    {
        var period = $"from={Uri.EscapeDataString(Base.ToString("O"))}";
        foreach (var (query, key) in new[] { (period, "1000003"), ("clientId=c-q-a", "2020-01-01T10:00:00.000Z|1000003"), (period, "2020-01-01T10:00:00.000Z|x") })
        {
            var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            using var response = await Auditor.Http.GetAsync($"/api/v1/audit/events?{query}&cursor={cursor}");
            var problem = await Json.ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.That(problem.GetProperty("errors").TryGetProperty("cursor", out _), Is.True, $"{query} with {key}: {problem}");
        }
        // Issue 14: a cursor that was never one (three zero bytes once decoded) is refused, not read as "from the start".
        using var forged = await Auditor.Http.GetAsync("/api/v1/audit/events?cursor=AAAA");
        var refused = await Json.ProblemAsync(forged, HttpStatusCode.BadRequest);
        Assert.That(refused.GetProperty("errors").TryGetProperty("cursor", out _), Is.True, refused.ToString());
    }

    [TestCase("outcome=DENIED", "outcome")]
    [TestCase("outcome=Allowed", "outcome")]
    [TestCase("operation=CONSULTATION", "operation")]
    public async Task LOG_2_a_filter_value_is_taken_exactly_as_spelt_in_the_query_string_too(string query, string field)
    {
        // Issue 14: enum values are exact in bodies; in a query string too, a value in another case is refused, not matched.
        using var response = await Auditor.Http.GetAsync($"/api/v1/audit/events?{query}");
        var problem = await Json.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task LOG_2_a_period_stops_at_the_oldest_record_still_in_flight_and_goes_on_once_it_is_durable()
    {
        var inFlight = Api.Factory.Services.GetRequiredService<RecordsInFlight>();
        var query = $"from={Uri.EscapeDataString(Base.ToString("O"))}&to={Uri.EscapeDataString(Base.AddSeconds(13).ToString("O"))}&clientId=c-q-b";
        var pending = new object();
        inFlight.Begin(pending, () => Base.AddSeconds(4));
        List<long> during;
        try
        {
            during = (await PagesAsync(query)).Select(e => e.GetProperty("seq").GetInt64()).ToList();
        }
        finally
        {
            inFlight.End(pending);
        }
        var after = (await PagesAsync(query)).Select(e => e.GetProperty("seq").GetInt64()).ToList();
        var all = Rows.Where(r => r.Client == "c-q-b").OrderBy(r => r.At, StringComparer.Ordinal).ThenBy(r => r.Seq).ToList();
        Assert.Multiple(() =>
        {
            // A record of that very instant that commits later takes a greater seq: the instant itself is included.
            Assert.That(during, Is.EqualTo(all.Where(r => string.CompareOrdinal(r.At, Instant(Base.AddSeconds(4))) <= 0).Select(r => r.Seq)));
            Assert.That(during, Is.Not.Empty.And.Count.LessThan(all.Count));
            Assert.That(after, Is.EqualTo(all.Select(r => r.Seq)));
        });
    }

    [Test]
    public void LOG_2_each_page_statement_seeks_the_index_of_its_filter()
    {
        if (Api.Factory.Provider != DatabaseProvider.Sqlite)
        {
            Assert.Ignore("The plans are SQLite's; SQL Server chooses its own.");
        }
        var parameters = EventFilter.None.Parameters(0, 10, "", Base);
        foreach (var (sql, index) in new[]
                 {
                     (QueryEventsHandler.Sql.ByResourceId, "ix_aud_events_resource"), (QueryEventsHandler.Sql.ByRelatedResourceId, "ix_aud_events_related"),
                     (QueryEventsHandler.Sql.ByTraceId, "ix_aud_events_trace"), (QueryEventsHandler.Sql.ByClientId, "ix_aud_events_client"),
                     (QueryEventsHandler.Sql.ByOrganisationId, "ix_aud_events_organisation"), (QueryEventsHandler.Sql.ByAction, "ix_aud_events_action"),
                     (QueryEventsHandler.Sql.ByResourceType, "ix_aud_events_resource_type"), (QueryEventsHandler.Sql.ByOutcome, "ix_aud_events_outcome"),
                     (QueryEventsHandler.Sql.ByPeriod, "ix_aud_events_occurred_at"),
                 })
        {
            var plan = string.Join(" | ", Database.Query<PlanRow>(Api, "EXPLAIN QUERY PLAN " + sql, parameters).Select(p => p.Detail));
            Assert.That(plan, Does.Contain($"USING INDEX {index} (").And.Not.Contain("TEMP B-TREE"), $"{index}: {plan}");
        }
    }

    private sealed class PlanRow
    {
        public string Detail { get; init; } = "";
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
