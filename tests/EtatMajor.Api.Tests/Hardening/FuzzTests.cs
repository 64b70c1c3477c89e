using System.Net;
using System.Net.Http.Json;
using System.Text;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Hardening;

/// <summary>
/// Issue 14, must-have 8: hostile input to every endpoint — generated bodies (wrong types, huge strings, deep nesting,
/// invalid UTF-8, CR/LF, SQL and script fragments, look-alike letters, not JSON at all), query strings, headers and
/// path segments, from a fixed seed (a failure can be replayed) — sent by callers that pass the endpoint's access rule,
/// with the ids of a real follow-up CCOFSI, so that the input reaches validation and the handlers. Never a 5xx, never a
/// stack trace, every refusal a problem+json, and nothing stored by a batch of requests that were all refused.
/// </summary>
public sealed class FuzzTests(DatabaseProvider provider) : ApiTest(provider)
{
    private const int CasesPerEndpoint = 135;

    private static readonly string[] Hostile =
    [
        "' OR 1=1 --", "'; DROP TABLE gov_instances; --", "\" OR \"\"=\"", "1; SELECT * FROM aud_events", "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>", "{{7*7}}", "${jndi:ldap://x}", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%00", "\0",
        "line\r\nX-Injected: yes", "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1", "0", "9999999999999999999999",
        "1e308", "NaN", "true", "null", "[]", "{}", "PREFET", "Prefet", "рrefet", "ｐｒｅｆｅｔ", "préfet", "pre\u200Bfet", "\u202Eteferp",
        "2026-02-30", "0001-01-01", "9999-12-31", "2026-13-01", "1970-01-01T00:00:00Z", "00000000-0000-0000-0000-000000000000",
        "{01a20cb2-0000-0000-0000-000000000000}", "🙂🙂🙂", "\uD800", "AAAA", "=", "a", new string('x', 5_000), new string('é', 70_000),
    ];

    /// <summary>In a path: all but NUL, which the in-memory test server refuses before the app (Kestrel answers it 400 itself).</summary>
    private static readonly string[] PathHostile = [.. Hostile.Where(h => !h.Contains('\0', StringComparison.Ordinal) && h != "%00" && h != "\uD800")];

    private static readonly string[] Fields =
    [
        "subject", "body", "text", "kind", "code", "name", "departement", "heldOn", "themes", "recipientOrganisationIds", "attachments",
        "organisationId", "obligationIds", "modality", "type", "occurredOn", "source", "reference", "closedOn", "reason", "reviewedOn",
        "decision", "scopes", "displayName", "version", "inForceFrom", "periodFrom", "periodTo", "acknowledgedOn", "observedOn", "outcome",
        "note", "lastName", "firstNames", "birthDate", "releasedOn", "obligations", "japOpinion", "measure", "year", "contentBase64",
        "fileName", "mediaType", "documentKind", "zsp", "communes", "prefetOrganisationId", "procureurOrganisationIds", "unknownMember",
    ];

    private readonly Dictionary<string, string> ids = new(StringComparer.Ordinal);
    private readonly List<HttpClient> callers = [];
    private FollowUpWorld world = null!;

    [OneTimeSetUp]
    public async Task CreateWorld()
    {
        world = await FollowUpWorld.CreateAsync(Api);
        var designation = await world.DesignateAsync();
        ids["id"] = world.Instance.ToString();
        ids["did"] = designation.GetProperty("id").GetString()!;
        ids["oid"] = FollowUpWorld.ObligationId(designation, 0).ToString();
        ids["organisationId"] = world.Police.OrganisationId.ToString();
        ids["clientId"] = world.Association.ClientId;
        using (var sent = await world.Police.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/exchanges", new
               {
                   subject = "Fuzz", body = "Point", recipientOrganisationIds = new[] { world.Gendarmerie.OrganisationId },
                   attachments = new[] { ExchangeWorld.Text("note.txt", "Note") },
               }))
        {
            var exchange = await Json.ReadAsync(sent, HttpStatusCode.Created);
            ids["eid"] = exchange.GetProperty("id").GetString()!;
            ids["aid"] = exchange.GetProperty("attachments")[0].GetProperty("id").GetString()!;
        }
        using (var meeting = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/meetings", new { heldOn = "2026-10-06" }))
        {
            ids["meetingId"] = (await Json.ReadAsync(meeting, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }
        // Callers that, between them, pass every endpoint's access rule.
        var procureur = await Api.CreateClientAsync(world.Procureur.OrganisationId, "governance", "exchange", "follow-up", "penal-policy");
        callers.Add(await Api.AsAsync(procureur.ClientId, procureur.Secret));
        callers.Add(world.Prefet.Http);
        callers.Add(world.Police.Http);
        callers.Add(await Api.AdminAsync());
        callers.Add((await Api.ActorAsync("auditeur", null, "audit")).Http);
    }


    /// <summary>The business tables (the access log, the idempotency keys and the job leases aside): their row counts.</summary>
    private Dictionary<string, long> Stored()
    {
        // On either provider: the fixture runs on SQL Server too when one is configured.
        var tables = Database.Query<string>(Api, Database.For(Api,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'aud_%' AND name NOT IN ('idem_keys', 'job_leases', 'db_migrations')",
            "SELECT name FROM sys.tables WHERE name NOT LIKE 'aud_%' AND name NOT IN ('idem_keys', 'job_leases', 'db_migrations')"));
        return tables.ToDictionary(t => t, t => Database.Scalar(Api, $"SELECT COUNT(*) FROM \"{t}\""));
    }

    private static string Pick(Random random, IReadOnlyList<string> values) => values[random.Next(values.Count)];

    private static object? HostileValue(Random random, int depth = 0) => random.Next(depth > 2 ? 7 : 10) switch
    {
        0 => random.Next(),
        1 => random.NextDouble() * 1e300,
        2 => random.Next(2) == 0,
        3 => null,
        4 or 5 or 6 => Pick(random, Hostile),
        7 => Enumerable.Range(0, random.Next(1, 4)).Select(_ => HostileValue(random, depth + 1)).ToArray(),
        8 => Guid.NewGuid().ToString(),
        _ => Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(random, Fields) + random.Next(3)).Distinct().ToDictionary(f => f, _ => HostileValue(random, depth + 1)),
    };

    private static HttpContent Body(Random random)
    {
        switch (random.Next(12))
        {
            case 0:
                return new StringContent(new string('[', 2_000) + new string(']', 2_000), Encoding.UTF8, "application/json");
            case 1:
                return new ByteArrayContent([(byte)'{', (byte)'"', (byte)'s', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, 0xFE, (byte)'"', (byte)'}'])
                {
                    Headers = { ContentType = new("application/json") },
                };
            case 2:
                return new StringContent(Pick(random, ["", "{", "null", "[]", "\"text\"", "<xml/>", "{\"a\":1,\"a\":2}", "\uFEFF{}", "{}garbage"]),
                    Encoding.UTF8, "application/json");
            case 3:
                return new StringContent("{\"subject\":\"x\"}", Encoding.UTF8, Pick(random, ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data"]));
            default:
                var members = Enumerable.Range(0, random.Next(1, 8)).Select(_ => Pick(random, Fields)).Distinct()
                    .ToDictionary(f => f, _ => HostileValue(random));
                return JsonContent.Create(members);
        }
    }

    private string Path(Random random, string template)
    {
        var mutate = random.Next(4) == 0;
        var path = ApiEndpoints.Fill(template, (name, _) =>
        {
            if (mutate && random.Next(2) == 0)
            {
                return Uri.EscapeDataString(Pick(random, PathHostile));
            }
            return name == "position" ? "0" : ids.GetValueOrDefault(name) ?? Guid.NewGuid().ToString();
        });
        if (random.Next(3) == 0)
        {
            var query = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
                $"{Pick(random, ["limit", "cursor", "year", "from", "to", "format", "clientId", "action", "outcome", "resourceId", "q", "limit"])}=" +
                Uri.EscapeDataString(Pick(random, [.. PathHostile.Take(PathHostile.Length - 1), "-5", "501", "abc", "2026", "csv", "ndjson"])));
            path += "?" + string.Join('&', query);
        }
        return path;
    }

    private static void Headers(Random random, HttpRequestMessage request)
    {
        if (random.Next(3) != 0)
        {
            return;
        }
        var name = Pick(random, ["X-Justification", "X-On-Behalf-Of", "Idempotency-Key", "If-Match", "Accept", "X-Forwarded-For", "X-Forwarded-Proto"]);
        var value = Pick(random, Hostile).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal);
        if (name != "X-Justification")
        {
            request.Headers.Remove(name);
        }
        request.Headers.TryAddWithoutValidation(name, value);
    }

    [Test]
    public async Task Ten_thousand_hostile_requests_never_get_a_5xx_or_a_stack_trace_and_refused_batches_store_nothing()
    {
        var random = new Random(14);
        var endpoints = ApiEndpoints.Of(Api.Factory.Services);
        var defects = new List<string>();
        var statuses = new Dictionary<int, int>();
        var total = 0;
        var batchesWithSuccess = 0;
        foreach (var (method, template) in endpoints)
        {
            // The callers this endpoint lets through (probed with an empty body), so that the input reaches the handler.
            var passing = new List<HttpClient>();
            foreach (var caller in callers)
            {
                using var probe = new HttpRequestMessage(new HttpMethod(method), Path(new Random(0), template));
                if (method is "POST" or "PUT")
                {
                    probe.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }
                using var answer = await caller.SendAsync(probe);
                if (answer.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NoContent))
                {
                    passing.Add(caller);
                }
            }
            if (passing.Count == 0)
            {
                passing = callers;
            }
            var before = Stored();
            var succeeded = 0;
            var cases = Enumerable.Range(0, CasesPerEndpoint).Select(i =>
            {
                var request = new HttpRequestMessage(new HttpMethod(method), Path(random, template));
                if (method is "POST" or "PUT")
                {
                    request.Content = Body(random);
                }
                Headers(random, request);
                return (Request: request, Caller: passing[i % passing.Count]);
            }).ToList();
            foreach (var chunk in cases.Chunk(5))
            {
                var answers = await Task.WhenAll(chunk.Select(async c =>
                {
                    var description = $"{c.Request.Method} {c.Request.RequestUri}";
                    using var response = await c.Caller.SendAsync(c.Request);
                    return (description, (int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
                }));
                foreach (var (description, status, body, mediaType) in answers)
                {
                    total++;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (status < 300)
                    {
                        succeeded++;
                    }
                    if (status >= 500)
                    {
                        defects.Add($"{description}: {status} {body[..Math.Min(body.Length, 400)]}");
                    }
                    else if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
                    {
                        defects.Add($"{description}: a stack trace or exception in the answer");
                    }
                    else if (status >= 400 && mediaType != "application/problem+json")
                    {
                        defects.Add($"{description}: {status} as {mediaType ?? "no content type"}");
                    }
                }
                foreach (var c in chunk)
                {
                    c.Request.Dispose();
                }
            }
            if (succeeded == 0)
            {
                var after = Stored();
                defects.AddRange(before.Where(t => after[t.Key] != t.Value).Select(t => $"{method} {template}: every request refused, yet {t.Key} went from {t.Value} to {after[t.Key]} rows"));
            }
            else
            {
                batchesWithSuccess++;
            }
        }
        TestContext.Out.WriteLine($"{total} fuzz cases over {endpoints.Count} endpoints: " +
                                  string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")) +
                                  $"; {batchesWithSuccess} endpoints accepted some (their storage not compared)");
        Assert.Multiple(() =>
        {
            Assert.That(total, Is.GreaterThanOrEqualTo(10_000));
            Assert.That(defects, Is.Empty);
        });
    }
}
