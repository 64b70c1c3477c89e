using System.Net;
using System.Net.Http.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Exchange;

/// <summary>
/// The rules on personal data itself (version 2): the authorising act (DATA-1), the motif of every consultation
/// and communication (LOG-1), the retention of exchanges (DATA-2).
/// </summary>
public sealed class PersonalDataTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public async Task DATA_1_outside_development_without_the_authorising_act_no_exchange_is_stored_and_operators_and_integrators_see_why()
    {
        using var api = new TestApi(new ApiFactory(Provider, new Dictionary<string, string?>
        {
            ["Processing:AuthorisingAct:Reference"] = "", ["Processing:AuthorisingAct:CnilDeliberation"] = AuthorisingActPlaceholder,
        }));
        var world = await ExchangeWorld.CreateAsync(api);
        using (var refused = await world.SendAsync(world.Police, [world.Gendarmerie]))
        {
            var problem = await Json.RuleViolationAsync(refused, HttpStatusCode.Forbidden, "DATA-1");
            Assert.That(problem.GetProperty("missingSettings").EnumerateArray().Select(m => m.GetString()),
                Is.EqualTo(new[] { "Processing:AuthorisingAct:Reference", "Processing:AuthorisingAct:CnilDeliberation" }));
        }
        using (var list = await world.Police.Http.GetAsync($"/api/v1/instances/{world.Instance}/exchanges"))
        {
            Assert.That((await Json.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").GetArrayLength(), Is.Zero, "nothing was stored");
        }
        using (var ready = await api.Anonymous().GetAsync("/health/ready"))
        {
            var health = await Json.ReadAsync(ready, HttpStatusCode.OK);
            Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("degraded"));
            Assert.That(health.GetProperty("checks").GetProperty("personal-data").GetProperty("description").GetString(), Does.Contain("disabled").And.Contain("DATA-1"));
        }
        using var catalogue = await world.Police.Http.GetAsync("/api/v1/policy/rules");
        var act = (await Json.ReadAsync(catalogue, HttpStatusCode.OK)).GetProperty("authorisingAct");
        Assert.That(act.GetProperty("personalDataEnabled").GetBoolean(), Is.False);
    }

    private const string AuthorisingActPlaceholder = "DEVELOPMENT-PLACEHOLDER";

    [Test]
    public async Task DATA_1_the_catalogue_shows_the_act_the_deployment_names()
    {
        var actor = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "exchange");
        using var catalogue = await actor.Http.GetAsync("/api/v1/policy/rules");
        var act = (await Json.ReadAsync(catalogue, HttpStatusCode.OK)).GetProperty("authorisingAct");
        Assert.Multiple(() =>
        {
            Assert.That(act.GetProperty("reference").GetString(), Is.EqualTo("INTX2600001A"));
            Assert.That(act.GetProperty("cnilDeliberation").GetString(), Is.EqualTo("2026-001"));
            Assert.That(act.GetProperty("personalDataEnabled").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task LOG_1_sending_listing_reading_and_downloading_an_exchange_without_a_motif_gets_400_and_the_motif_is_logged()
    {
        var world = await ExchangeWorld.CreateAsync(Api);
        var body = new
        {
            subject = "Situation", body = "Point", recipientOrganisationIds = new[] { world.Gendarmerie.OrganisationId },
            attachments = new[] { ExchangeWorld.Text("a.txt", "Relevé") },
        };
        using (var send = await world.Police.Http.SendAsync(Motif.Without(HttpMethod.Post, $"/api/v1/instances/{world.Instance}/exchanges", JsonContent.Create(body))))
        {
            var problem = await Json.RuleViolationAsync(send, HttpStatusCode.BadRequest, "LOG-1");
            Assert.That(problem.GetProperty("errors").TryGetProperty("X-Justification", out _), Is.True);
        }
        using var sent = await world.SendAsync(world.Police, [world.Gendarmerie], [ExchangeWorld.Text("a.txt", "Relevé")]);
        var exchange = await Json.ReadAsync(sent, HttpStatusCode.Created);
        var id = exchange.GetProperty("id").GetGuid();
        foreach (var path in new[]
                 {
                     $"/api/v1/instances/{world.Instance}/exchanges", $"/api/v1/exchanges/{id}",
                     $"/api/v1/exchanges/{id}/attachments/{exchange.GetProperty("attachments")[0].GetProperty("id").GetGuid()}",
                 })
        {
            using var without = await world.Gendarmerie.Http.SendAsync(Motif.Without(HttpMethod.Get, path));
            await Json.RuleViolationAsync(without, HttpStatusCode.BadRequest, "LOG-1");
        }
        Assert.That(AuditLog.Scalar(Api, $"SELECT COUNT(*) FROM aud_events WHERE action = 'exchange.send' AND resource_id = '{id}' AND justification = '{Motif.Default.Replace("'", "''")}'"),
            Is.EqualTo(1));
    }

    [Test]
    public async Task DATA_2_an_exchange_past_its_retention_is_erased_by_the_daily_job_leaving_a_tombstone_and_an_erasure_record()
    {
        using var api = new TestApi(new ApiFactory(Provider, new Dictionary<string, string?> { ["Exchange:RetentionDays"] = "365" }));
        var world = await ExchangeWorld.CreateAsync(api);
        using var first = await world.SendAsync(world.Police, [world.Gendarmerie], [ExchangeWorld.Text("releve.txt", "Relevé des faits")]);
        var old = await Json.ReadAsync(first, HttpStatusCode.Created);
        var oldId = old.GetProperty("id").GetGuid();
        var held = (await Json.ReadAsync(await world.SendAsync(world.Police, [world.Gendarmerie], body: "Suite au PV d'audition du 3 mars"), HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();

        api.Clock.Advance(TimeSpan.FromDays(200));
        using var forwarded = await world.Gendarmerie.Http.PostAsJsonAsync($"/api/v1/exchanges/{oldId}/forward", new { recipientOrganisationIds = new[] { world.Prefet.OrganisationId } });
        var forward = await Json.ReadAsync(forwarded, HttpStatusCode.Created);
        var forwardId = forward.GetProperty("id").GetGuid();
        var content = Database.Scalar(api, $"SELECT COUNT(*) FROM ex_content_chunks");

        api.Clock.Advance(TimeSpan.FromDays(170));
        Assert.That(await api.Factory.RunJobAsync("exchange.retention"), Is.True);

        foreach (var actor in new[] { world.Police, world.Gendarmerie })
        {
            using var gone = await actor.Http.GetAsync($"/api/v1/exchanges/{oldId}");
            await Json.ProblemAsync(gone, HttpStatusCode.NotFound);
        }
        using (var heldGone = await world.Police.Http.GetAsync($"/api/v1/exchanges/{held}"))
        {
            await Json.ProblemAsync(heldGone, HttpStatusCode.NotFound);
        }
        Assert.Multiple(() =>
        {
            Assert.That(Database.Scalar(api, $"SELECT COUNT(*) FROM ex_exchanges WHERE id = '{oldId}' AND status = 'erased' AND subject = '' AND body = '' AND erased_at IS NOT NULL"),
                Is.EqualTo(1), "a content-free tombstone stays");
            Assert.That(Database.Scalar(api, $"SELECT COUNT(*) FROM ex_recipients WHERE exchange_id IN ('{oldId}', '{held}')"), Is.Zero);
            Assert.That(Database.Scalar(api, $"SELECT COUNT(*) FROM ex_attachments WHERE exchange_id = '{oldId}'"), Is.Zero);
            Assert.That(Database.Scalar(api, "SELECT COUNT(*) FROM ex_content_chunks"), Is.EqualTo(content), "the forward still shares the content");
            Assert.That(AuditLog.Scalar(api, $"SELECT COUNT(*) FROM aud_events WHERE action = 'exchange.erase' AND operation = 'erasure' AND resource_id = '{oldId}' " +
                                             $"AND related_resource_id = '{world.Instance}' AND client_id = 'system'"), Is.EqualTo(1));
        });
        using (var stillThere = await world.Prefet.Http.GetAsync($"/api/v1/exchanges/{forwardId}/attachments/{forward.GetProperty("attachments")[0].GetProperty("id").GetString()}"))
        {
            Assert.That(await stillThere.Content.ReadAsStringAsync(), Is.EqualTo("Relevé des faits"));
        }

        api.Clock.Advance(TimeSpan.FromDays(200));
        Assert.That(await api.Factory.RunJobAsync("exchange.retention"), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(Database.Scalar(api, $"SELECT COUNT(*) FROM ex_exchanges WHERE id = '{forwardId}' AND status = 'erased'"), Is.EqualTo(1));
            Assert.That(Database.Scalar(api, "SELECT COUNT(*) FROM ex_content_chunks"), Is.Zero, "no exchange refers to the content any more");
            Assert.That(Database.Scalar(api, "SELECT COUNT(*) FROM ex_contents"), Is.Zero);
        });
    }
}
