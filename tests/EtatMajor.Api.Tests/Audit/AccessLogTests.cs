using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Api.Tests.Audit;

/// <summary>Issue 3: one record per request, its content, LOG-2 access, fail-closed, append-only.</summary>
public sealed class AccessLogTests(DatabaseProvider provider) : AuditorTest(provider)
{
    [Test]
    public async Task LOG_1_a_creation_is_recorded_with_who_when_what_why_and_no_content()
    {
        var admin = await Api.AdminAsync();
        var code = TestApi.UniqueCode("logged");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/organisations")
        {
            Content = JsonContent.Create(new { code, name = "Nom confidentiel de test", kind = "douanes", departement = "59" }),
        };
        request.Headers.Add(CallerHeaders.OnBehalfOf, "agent-4711");
        request.Headers.Add(CallerHeaders.Justification, "mise en place de l'EMS");
        using var response = await admin.SendAsync(request);
        var created = await Json.ReadAsync(response, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();

        var record = (await AuditLog.EventsAsync(Auditor, $"&action=organisation.create&resourceId={id}")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(record.GetProperty("clientId").GetString(), Is.EqualTo(ApiFactory.AdminClientId));
            Assert.That(record.GetProperty("organisationKind").GetString(), Is.EqualTo("administrateur"));
            Assert.That(record.GetProperty("organisationId").GetString(), Is.Not.Null);
            Assert.That(record.GetProperty("onBehalfOf").GetString(), Is.EqualTo("agent-4711"));
            Assert.That(record.GetProperty("justification").GetString(), Is.EqualTo("mise en place de l'EMS"));
            Assert.That(record.GetProperty("operation").GetString(), Is.EqualTo("collection"));
            Assert.That(record.GetProperty("resourceType").GetString(), Is.EqualTo("organisation"));
            Assert.That(record.GetProperty("outcome").GetString(), Is.EqualTo("allowed"));
            Assert.That(record.GetProperty("status").GetInt32(), Is.EqualTo(201));
            Assert.That(record.GetProperty("route").GetString(), Is.EqualTo("/api/v1/organisations"));
            Assert.That(record.GetProperty("traceId").GetString(), Is.Not.Empty);
            Assert.That(record.GetProperty("occurredAt").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
            Assert.That(record.GetProperty("hash").GetString(), Has.Length.EqualTo(64));
            Assert.That(record.ToString(), Does.Not.Contain("Nom confidentiel"), "references only, never content");
        });
    }

    [Test]
    public async Task LOG_1_secrets_and_tokens_never_reach_the_log()
    {
        var organisationId = await Api.CreateOrganisationAsync(TestApi.UniqueCode("pn"), "police-nationale", "59");
        var (clientId, secret) = await Api.CreateClientAsync(organisationId, "exchange");
        var token = await Api.TokenAsync(clientId, secret);
        var wholeLog = string.Join('\n', (await AuditLog.EventsAsync(Auditor)).Select(e => e.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(wholeLog, Does.Contain(clientId), "the client is named");
            Assert.That(wholeLog, Does.Not.Contain(secret));
            Assert.That(wholeLog, Does.Not.Contain(ApiFactory.AdminSecret));
            Assert.That(wholeLog, Does.Not.Contain(token[..40]));
        });
    }

    [Test]
    public async Task LOG_1_token_requests_are_recorded_allowed_or_denied_without_the_secret()
    {
        var before = AuditLog.Head(Api);
        using (await Api.RequestTokenAsync(ApiFactory.AdminClientId, "not-the-secret"))
        {
        }
        var record = (await AuditLog.EventsAsync(Auditor, $"&action=token.issue&outcome=denied")).Last();
        Assert.Multiple(() =>
        {
            Assert.That(record.GetProperty("seq").GetInt64(), Is.GreaterThan(before));
            Assert.That(record.GetProperty("clientId").GetString(), Is.EqualTo(ApiFactory.AdminClientId));
            Assert.That(record.GetProperty("operation").GetString(), Is.EqualTo("authentication"));
            Assert.That(record.GetProperty("route").GetString(), Is.EqualTo("/connect/token"));
            Assert.That(record.ToString(), Does.Not.Contain("not-the-secret"));
        });
    }

    [Test]
    public async Task LOG_1_a_denial_by_rule_is_recorded_with_its_rule_id()
    {
        var departement = TestApi.FreshDepartement();
        var prefet = await Api.ActorAsync("prefet", departement, "governance");
        var procureur = await Api.ActorAsync("procureur", departement, "governance");
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ems", departement, name = "EMS", prefetOrganisationId = prefet.OrganisationId, procureurOrganisationId = procureur.OrganisationId,
        });
        var instance = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString();
        var bailleur = await Api.ActorAsync("bailleur-social", departement);
        using var refused = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/members", new { organisationId = bailleur.OrganisationId });
        await Json.RuleViolationAsync(refused, HttpStatusCode.UnprocessableEntity, "COMP-5");

        var record = (await AuditLog.EventsAsync(Auditor, $"&action=member.add&resourceId={instance}/{bailleur.OrganisationId}")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(record.GetProperty("outcome").GetString(), Is.EqualTo("denied"));
            Assert.That(record.GetProperty("status").GetInt32(), Is.EqualTo(422));
            Assert.That(record.GetProperty("ruleId").GetString(), Is.EqualTo("COMP-5"));
            Assert.That(record.GetProperty("route").GetString(), Is.EqualTo("/api/v1/instances/{id:guid}/members"));
        });
    }

    [Test]
    public async Task LOG_1_records_name_what_was_touched_and_read_back_as_stored()
    {
        var departement = TestApi.FreshDepartement();
        var prefet = await Api.ActorAsync("prefet", departement, "governance", "exchange");
        var procureur = await Api.ActorAsync("procureur", departement, "governance");
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ccofsi", departement, name = "CCOFSI", prefetOrganisationId = prefet.OrganisationId, procureurOrganisationId = procureur.OrganisationId,
            zsp = new { name = "ZSP", communes = new[] { $"{departement}001" } },
        });
        var instance = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var police = await Api.ActorAsync("police-nationale", departement, "exchange");
        using (var added = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/members", new { organisationId = police.OrganisationId }))
        {
            await Json.ReadAsync(added, HttpStatusCode.Created);
        }
        using (var removed = await prefet.Http.DeleteAsync($"/api/v1/instances/{instance}/members/{police.OrganisationId}"))
        {
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        await ExchangeWorld.RecordRulesAsync(prefet, departement, inForceFrom: "2025-01-01");
        using var ack = await prefet.Http.PostAsync($"/api/v1/instances/{instance}/internal-rules/current/acknowledgements", null);
        var rulesId = (await Json.ReadAsync(ack, HttpStatusCode.Created)).GetProperty("internalRulesId").GetString();
        Assert.Multiple(async () =>
        {
            Assert.That(await AuditLog.EventsAsync(Auditor, $"&action=member.add&resourceId={instance}/{police.OrganisationId}"), Has.Count.EqualTo(1));
            Assert.That(await AuditLog.EventsAsync(Auditor, $"&action=member.remove&resourceId={instance}/{police.OrganisationId}"), Has.Count.EqualTo(1));
            Assert.That(await AuditLog.EventsAsync(Auditor, $"&action=internal-rules.acknowledge&resourceId={rulesId}&relatedResourceId={instance}&organisationId={prefet.OrganisationId}"), Has.Count.EqualTo(1));
        });
        var any = (await AuditLog.EventsAsync(Auditor, "&action=member.add")).First();
        Assert.That(any.GetProperty("recipients").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "as stored: no recipients is null, not []");
    }

    [Test]
    public async Task LOG_2_only_auditors_read_the_log_and_every_reading_is_itself_recorded()
    {
        var admin = await Api.AdminAsync();
        using (var byAdmin = await admin.GetAsync("/api/v1/audit/events"))
        {
            await Json.ProblemAsync(byAdmin, HttpStatusCode.Forbidden);
        }
        var prefet = await Api.ActorAsync("prefet", TestApi.FreshDepartement(), "governance");
        using (var byPrefet = await prefet.Http.GetAsync("/api/v1/audit/integrity"))
        {
            await Json.ProblemAsync(byPrefet, HttpStatusCode.Forbidden);
        }
        using (var anonymous = await Api.Anonymous().GetAsync("/api/v1/audit/keys"))
        {
            await Json.ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        }
        var before = AuditLog.Head(Api);
        using (var read = await Auditor.Http.GetAsync("/api/v1/audit/events?limit=1"))
        {
            await Json.ReadAsync(read, HttpStatusCode.OK);
        }
        var readings = await AuditLog.EventsAsync(Auditor, "&action=audit.query&outcome=allowed");
        Assert.That(readings.Select(r => r.GetProperty("seq").GetInt64()), Has.Some.GreaterThan(before));
        var refusals = await AuditLog.EventsAsync(Auditor, "&action=audit.query&outcome=denied");
        Assert.That(refusals.Select(r => r.GetProperty("clientId").GetString()), Does.Contain(ApiFactory.AdminClientId));
    }

    [Test]
    public async Task LOG_1_every_endpoint_produces_exactly_one_record_under_its_action()
    {
        var admin = await Api.AdminAsync();
        var endpoints = Api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.That(endpoints, Has.Count.GreaterThanOrEqualTo(18));
        Assert.Multiple(() =>
        {
            foreach (var endpoint in endpoints)
            {
                var method = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods[0];
                var path = System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!, @"\{[^}]+\}", Guid.NewGuid().ToString());
                var expected = endpoint.Metadata.GetMetadata<AuditAction>()!.Action;
                foreach (var http in new[] { admin, Api.Anonymous() })
                {
                    var before = AuditLog.Count(Api);
                    using var message = new HttpRequestMessage(new HttpMethod(method), path);
                    if (method is "POST" or "PUT")
                    {
                        message.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    }
                    using var response = http.SendAsync(message).GetAwaiter().GetResult();
                    var added = AuditLog.Scalar(Api, $"SELECT COUNT(*) FROM aud_events WHERE seq > (SELECT MAX(seq) - 1 FROM aud_events) AND action = '{expected}'");
                    Assert.That(AuditLog.Count(Api) - before, Is.EqualTo(1), $"{method} {endpoint.RoutePattern.RawText} ({(int)response.StatusCode})");
                    Assert.That(added, Is.EqualTo(1), $"{method} {endpoint.RoutePattern.RawText} is recorded as {expected}");
                }
            }
        });
    }

    [Test]
    public async Task LOG_1_an_unknown_api_path_is_recorded_too()
    {
        var before = AuditLog.Count(Api);
        using var response = await Api.Anonymous().GetAsync("/api/v1/nowhere");
        await Json.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(AuditLog.Count(Api), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task LOG_3_the_database_refuses_to_change_or_delete_a_record()
    {
        using (await Api.Anonymous().GetAsync("/api/v1/instances"))
        {
        }
        var update = Assert.Throws<SqliteException>(() => AuditLog.Execute(Api, "UPDATE aud_events SET action = 'x' WHERE seq = 1"));
        var delete = Assert.Throws<SqliteException>(() => AuditLog.Execute(Api, "DELETE FROM aud_events WHERE seq = 1"));
        Assert.Multiple(() =>
        {
            Assert.That(update!.Message, Does.Contain("append-only"));
            Assert.That(delete!.Message, Does.Contain("append-only"));
        });
    }

    [Test]
    public async Task LOG_3_concurrent_requests_get_gap_free_sequence_numbers_and_a_valid_chain()
    {
        var before = AuditLog.Head(Api);
        var admin = await Api.AdminAsync();
        var calls = Enumerable.Range(0, 60).Select(async i =>
        {
            using var response = i % 3 == 0
                ? await admin.PostAsJsonAsync("/api/v1/organisations", new { code = TestApi.UniqueCode("par"), name = "x", kind = "pjj", departement = "62" })
                : await admin.GetAsync("/api/v1/organisations?limit=5");
            return (int)response.StatusCode;
        });
        var statuses = await Task.WhenAll(calls);
        Assert.That(statuses, Is.All.AnyOf(200, 201));
        var after = AuditLog.Head(Api);
        Assert.Multiple(() =>
        {
            Assert.That(after - before, Is.EqualTo(60));
            Assert.That(AuditLog.Scalar(Api, "SELECT COUNT(*) FROM aud_events"), Is.EqualTo(AuditLog.Scalar(Api, "SELECT MAX(seq) - MIN(seq) + 1 FROM aud_events")), "gap-free");
        });
        using var integrity = await Auditor.Http.GetAsync("/api/v1/audit/integrity");
        var result = await Json.ReadAsync(integrity, HttpStatusCode.OK);
        Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("valid"), result.ToString());
    }

    [Test]
    public async Task Auditor_queries_filter_and_page_in_seq_order()
    {
        var from = Api.Clock.GetUtcNow().AddSeconds(-1).ToString("O");
        for (var i = 0; i < 3; i++)
        {
            using (await Api.Anonymous().GetAsync("/api/v1/organisations"))
            {
            }
        }
        var denied = await AuditLog.EventsAsync(Auditor, $"&action=organisation.list&outcome=denied&from={Uri.EscapeDataString(from)}");
        Assert.That(denied, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(denied.Select(e => e.GetProperty("seq").GetInt64()), Is.Ordered.And.Unique);
        for (var i = 0; i < 3; i++)
        {
            using (await Api.RequestTokenAsync(Auditor.ClientId, Auditor.Secret))
            {
            }
        }
        using var page = await Auditor.Http.GetAsync("/api/v1/audit/events?limit=2&operation=authentication");
        var first = await Json.ReadAsync(page, HttpStatusCode.OK);
        Assert.That(first.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
        Assert.That(first.GetProperty("nextCursor").GetString(), Is.Not.Null);
        foreach (var bad in new[] { "operation=reading", "outcome=ok", "from=yesterday", "limit=501", "organisationId=abc" })
        {
            using var response = await Auditor.Http.GetAsync($"/api/v1/audit/events?{bad}");
            await Json.ProblemAsync(response, HttpStatusCode.BadRequest);
        }
    }
}
