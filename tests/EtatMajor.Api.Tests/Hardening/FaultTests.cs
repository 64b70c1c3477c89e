using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Hardening;

/// <summary>
/// Issue 14, must-have 7: a database that fails at open, in the middle of a transaction, or at commit. The caller gets
/// 503 with Retry-After, nothing is half-written — no business row, no idempotency key, no access-log record that says
/// more than "this request failed" — the chain still verifies, and the retry under the same key succeeds, once.
/// SQLite only (not a provider fixture): the faults are SQLite's own error (SQLITE_IOERR), and this machine has no SQL Server.
/// </summary>
public sealed class FaultTests
{
    private readonly Faults faults = new();
    private TestApi api = null!;
    private ExchangeWorld world = null!;
    private Actor auditor = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        api = new TestApi(new ApiFactory(services: services => services.AddSingleton<IConnectionWrapper>(faults)));
        world = await ExchangeWorld.CreateAsync(api);
        auditor = await api.ActorAsync("auditeur", null, "audit");
    }

    [OneTimeTearDown]
    public void Stop() => api.Dispose();

    /// <summary>Every table's row count, and the head of the access log.</summary>
    private Dictionary<string, long> Snapshot()
    {
        var tables = Database.Query<string>(api, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        var counts = tables.ToDictionary(t => t, t => Database.Scalar(api, $"SELECT COUNT(*) FROM \"{t}\""));
        counts["aud_head.seq"] = AuditLog.Head(api);
        return counts;
    }

    private HttpRequestMessage Send(string key, string subject)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/instances/{world.Instance}/exchanges")
        {
            Content = JsonContent.Create(new
            {
                subject, body = "Point de situation", recipientOrganisationIds = new[] { world.Gendarmerie.OrganisationId }, attachments = Array.Empty<object>(),
            }),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    [TestCase(FaultPoint.Open)]
    [TestCase(FaultPoint.MidTransaction)]
    [TestCase(FaultPoint.Commit)]
    public async Task A_failure_gives_503_with_Retry_After_changes_nothing_and_the_retry_succeeds_once(FaultPoint point)
    {
        var subject = TestApi.UniqueCode("fault");
        var key = Guid.NewGuid().ToString();
        // The token first: a fault at open must strike the request, not the client's authentication.
        await world.Police.Http.GetAsync($"/api/v1/instances/{world.Instance}");
        var before = Snapshot();
        var struck = faults.Injected;

        faults.Arm(point);
        HttpResponseMessage failed;
        try
        {
            failed = await world.Police.Http.SendAsync(Send(key, subject));
        }
        finally
        {
            faults.Disarm();
        }
        using (failed)
        {
            await Json.ProblemAsync(failed, HttpStatusCode.ServiceUnavailable);
            Assert.That(failed.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        }
        Assert.That(faults.Injected, Is.GreaterThan(struck), "the fault struck");

        var after = Snapshot();
        var recorded = after["aud_events"] - before["aud_events"];
        Assert.Multiple(() =>
        {
            foreach (var (table, count) in before.Where(t => t.Key is not ("aud_events" or "aud_head.seq")))
            {
                Assert.That(after[table], Is.EqualTo(count), $"{table} unchanged");
            }
            // A failure of the request's own work is recorded as a failure (one record per request); a failure that
            // reaches the access log's commit leaves no record at all (fail closed).
            Assert.That(recorded, point == FaultPoint.MidTransaction ? Is.EqualTo(1) : Is.EqualTo(0));
            Assert.That(after["aud_head.seq"] - before["aud_head.seq"], Is.EqualTo(recorded));
            if (recorded == 1)
            {
                Assert.That(AuditLog.Scalar(api, $"SELECT status FROM aud_events WHERE seq = {after["aud_head.seq"]}"), Is.EqualTo(503));
            }
        });

        using var retry = await world.Police.Http.SendAsync(Send(key, subject));
        await Json.ReadAsync(retry, HttpStatusCode.Created);
        Assert.Multiple(async () =>
        {
            Assert.That(retry.Headers.Contains("Idempotency-Replayed"), Is.False, "the failed attempt spent no key");
            Assert.That(Database.Scalar(api, $"SELECT COUNT(*) FROM ex_exchanges WHERE subject = '{subject}'"), Is.EqualTo(1));
            using var integrity = await auditor.Http.GetAsync("/api/v1/audit/integrity");
            Assert.That((await Json.ReadAsync(integrity, HttpStatusCode.OK)).GetProperty("status").GetString(), Is.EqualTo("valid"));
        });
    }

    [Test]
    public async Task While_the_access_log_cannot_commit_the_instance_is_not_ready_and_it_is_again_by_itself_once_it_can()
    {
        await world.Police.Http.GetAsync($"/api/v1/instances/{world.Instance}");
        faults.Arm(FaultPoint.Commit);
        HttpResponseMessage refused;
        try
        {
            // A read: its record goes through the group commit, whose commit fails.
            refused = await world.Police.Http.GetAsync($"/api/v1/instances/{world.Instance}");
        }
        finally
        {
            faults.Disarm();
        }
        using (refused)
        {
            await Json.ProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        }
        // The probe's own commit fails too while the disk does.
        faults.Arm(FaultPoint.Commit);
        HttpResponseMessage down;
        try
        {
            down = await api.Anonymous().GetAsync("/health/ready");
        }
        finally
        {
            faults.Disarm();
        }
        using (down)
        {
            Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            var report = System.Text.Json.JsonDocument.Parse(await down.Content.ReadAsStringAsync()).RootElement;
            Assert.That(report.GetProperty("checks").GetProperty("access-log").GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
        }
        // Once it can commit, the probe says so by itself: no request needs to come first (a load balancer sends none
        // to an instance it took out).
        using var up = await api.Anonymous().GetAsync("/health/ready");
        Assert.That(up.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var ready = System.Text.Json.JsonDocument.Parse(await up.Content.ReadAsStringAsync()).RootElement;
        Assert.That(ready.GetProperty("checks").GetProperty("access-log").GetProperty("status").GetString(), Is.EqualTo("healthy"));
    }
}
