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
}
