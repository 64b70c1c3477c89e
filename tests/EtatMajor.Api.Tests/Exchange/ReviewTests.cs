using System.Net;
using System.Net.Http.Json;
using EtatMajor.SharedKernel.Data;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Api.Tests.Exchange;

/// <summary>
/// CONF-2, version 2: an exchange that mentions a piece of procedure is held; a procureur co-chairing the
/// instance reads it and releases it (CONF-1, 3, 4 decided again) or rejects it; recipients see nothing before.
/// </summary>
public sealed class ReviewTests(DatabaseProvider provider) : ApiTest(provider)
{
    private ExchangeWorld world = null!;

    [OneTimeSetUp]
    public async Task CreateWorld() => world = await ExchangeWorld.CreateAsync(Api);

    private async Task<(Guid Id, string AttachmentId)> HeldAsync(string body = "Suite au PV d'audition du 3 mars, les faits se confirment.")
    {
        using var sent = await world.SendAsync(world.Police, [world.Gendarmerie], [ExchangeWorld.Text("releve.txt", "Relevé des faits")], body: body);
        var exchange = await Json.ReadAsync(sent, HttpStatusCode.Accepted);
        Assert.Multiple(() =>
        {
            Assert.That(exchange.GetProperty("status").GetString(), Is.EqualTo("held-for-review"));
            Assert.That(sent.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/exchanges/{exchange.GetProperty("id").GetGuid()}"));
        });
        return (exchange.GetProperty("id").GetGuid(), exchange.GetProperty("attachments")[0].GetProperty("id").GetString()!);
    }

    [Test]
    public async Task CONF_2_the_exchanges_held_for_review_are_a_metric_with_the_wait_of_the_oldest()
    {
        // Issue 15: what the gauges etatmajor.exchanges.held and .oldest_age report, read as the collector reads it.
        var metric = Api.Factory.Services.GetRequiredService<EtatMajor.Modules.Exchange.Domain.HeldExchangesMetric>();
        var before = await metric.ReadAsync(CancellationToken.None);
        var (id, _) = await HeldAsync();
        var waiting = await metric.ReadAsync(CancellationToken.None);
        using (var released = await world.Procureur.Http.PostAsync($"/api/v1/exchanges/{id}/release", null))
        {
            Assert.That(released.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        var after = await metric.ReadAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(waiting.Waiting, Is.EqualTo(before.Waiting + 1), "the held exchange is counted");
            Assert.That(waiting.OldestSentAt, Is.Not.Null.And.LessThanOrEqualTo(Api.Clock.GetUtcNow()));
            Assert.That(after.Waiting, Is.EqualTo(before.Waiting), "a released one no longer waits");
        });
    }

    [Test]
    public async Task CONF_2_a_mention_is_held_the_recipient_sees_nothing_a_procureur_reads_and_releases_it_then_the_recipient_reads_it()
    {
        var (id, attachment) = await HeldAsync();
        using (var asRecipient = await world.Gendarmerie.Http.GetAsync($"/api/v1/exchanges/{id}"))
        {
            await Json.ProblemAsync(asRecipient, HttpStatusCode.NotFound);
        }
        using (var recipientList = await world.Gendarmerie.Http.GetAsync($"/api/v1/instances/{world.Instance}/exchanges"))
        {
            Assert.That((await Json.ReadAsync(recipientList, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()),
                Does.Not.Contain(id));
        }
        using (var asSender = await world.Police.Http.GetAsync($"/api/v1/exchanges/{id}"))
        {
            var exchange = await Json.ReadAsync(asSender, HttpStatusCode.OK);
            Assert.That(exchange.GetProperty("holds")[0].GetProperty("markers")[0].GetProperty("marker").GetString(), Is.EqualTo("pv-acte"));
        }
        using (var toReview = await world.Procureur.Http.GetAsync($"/api/v1/instances/{world.Instance}/exchanges?status=held-for-review"))
        {
            var items = (await Json.ReadAsync(toReview, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
            Assert.That(items.Select(e => e.GetProperty("id").GetGuid()), Does.Contain(id));
            Assert.That(items.Select(e => e.GetProperty("direction").GetString()), Is.All.EqualTo("to-review"));
            Assert.That(items.Select(e => e.GetProperty("status").GetString()), Is.All.EqualTo("held-for-review"));
        }
        using (var read = await world.Procureur.Http.GetAsync($"/api/v1/exchanges/{id}"))
        {
            Assert.That((await Json.ReadAsync(read, HttpStatusCode.OK)).GetProperty("body").GetString(), Does.Contain("PV d'audition"));
        }
        using (var download = await world.Procureur.Http.GetAsync($"/api/v1/exchanges/{id}/attachments/{attachment}"))
        {
            Assert.That(await download.Content.ReadAsStringAsync(), Is.EqualTo("Relevé des faits"));
        }
        using (var byPrefet = await world.Prefet.Http.PostAsync($"/api/v1/exchanges/{id}/release", null))
        {
            await Json.ProblemAsync(byPrefet, HttpStatusCode.Forbidden);
        }
        using (var byRecipient = await world.Gendarmerie.Http.PostAsync($"/api/v1/exchanges/{id}/release", null))
        {
            // The recipient may not even know the exchange exists; a client without the procureur's kind is refused before.
            Assert.That((int)byRecipient.StatusCode, Is.AnyOf(403, 404));
        }
        using (var released = await world.Procureur.Http.PostAsync($"/api/v1/exchanges/{id}/release", null))
        {
            var exchange = await Json.ReadAsync(released, HttpStatusCode.OK);
            Assert.That(exchange.GetProperty("status").GetString(), Is.EqualTo("delivered"));
            Assert.That(exchange.GetProperty("review").GetProperty("reviewedByOrganisationId").GetGuid(), Is.EqualTo(world.Procureur.OrganisationId));
        }
        using (var nowDelivered = await world.Gendarmerie.Http.GetAsync($"/api/v1/exchanges/{id}"))
        {
            var exchange = await Json.ReadAsync(nowDelivered, HttpStatusCode.OK);
            Assert.That(exchange.GetProperty("holds").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "a recipient is not told why it was held");
        }
        using var again = await world.Procureur.Http.PostAsync($"/api/v1/exchanges/{id}/release", null);
        await Json.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.That(AuditLog.Scalar(Api, $"SELECT COUNT(*) FROM aud_events WHERE action = 'exchange.release' AND resource_id = '{id}' AND outcome = 'allowed' " +
                                         $"AND recipients = '{world.Gendarmerie.OrganisationId}' AND justification IS NOT NULL"), Is.EqualTo(1));
    }

    [Test]
    public async Task CONF_2_a_rejected_exchange_never_reaches_its_recipients_and_its_sender_reads_why()
    {
        var (id, _) = await HeldAsync("Voir le mandat de dépôt joint.");
        using (var noReason = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/exchanges/{id}/reject", new { reason = "" }))
        {
            await Json.ProblemAsync(noReason, HttpStatusCode.BadRequest);
        }
        using (var rejected = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/exchanges/{id}/reject", new { reason = "Pièce de procédure : à ne pas transmettre." }))
        {
            Assert.That((await Json.ReadAsync(rejected, HttpStatusCode.OK)).GetProperty("status").GetString(), Is.EqualTo("rejected"));
        }
        using (var asSender = await world.Police.Http.GetAsync($"/api/v1/exchanges/{id}"))
        {
            var exchange = await Json.ReadAsync(asSender, HttpStatusCode.OK);
            Assert.That(exchange.GetProperty("review").GetProperty("rejectionReason").GetString(), Is.EqualTo("Pièce de procédure : à ne pas transmettre."));
        }
        using (var asRecipient = await world.Gendarmerie.Http.GetAsync($"/api/v1/exchanges/{id}"))
        {
            await Json.ProblemAsync(asRecipient, HttpStatusCode.NotFound);
        }
        using var releaseAfter = await world.Procureur.Http.PostAsync($"/api/v1/exchanges/{id}/release", null);
        await Json.ProblemAsync(releaseAfter, HttpStatusCode.Conflict);
        Assert.That(AuditLog.Scalar(Api, $"SELECT COUNT(*) FROM aud_events WHERE action = 'exchange.reject' AND resource_id = '{id}' AND outcome = 'allowed'"), Is.EqualTo(1));
    }

    [Test]
    public async Task CONF_1_a_release_is_decided_again_a_recipient_removed_meanwhile_is_a_third_party_and_the_exchange_stays_held()
    {
        var later = await ExchangeWorld.CreateAsync(Api);
        using var sent = await later.SendAsync(later.Police, [later.Gendarmerie], body: "Suite au PV de synthèse de la brigade");
        var id = (await Json.ReadAsync(sent, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        using (var removal = await later.Prefet.Http.DeleteAsync($"/api/v1/instances/{later.Instance}/members/{later.Gendarmerie.OrganisationId}"))
        {
            Assert.That(removal.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        using (var refused = await later.Procureur.Http.PostAsync($"/api/v1/exchanges/{id}/release", null))
        {
            await ExchangeWorld.DeniedAsync(refused, "CONF-1", "/problems/third-party-recipient");
        }
        using var stillHeld = await later.Police.Http.GetAsync($"/api/v1/exchanges/{id}");
        Assert.That((await Json.ReadAsync(stillHeld, HttpStatusCode.OK)).GetProperty("status").GetString(), Is.EqualTo("held-for-review"));
    }

    [Test]
    public async Task CONF_2_check_says_allowed_held_or_denied_with_the_reasons()
    {
        async Task<System.Text.Json.JsonElement> CheckAsync(string body, params object[] attachments)
        {
            using var response = await world.SendAsync(world.Police, [world.Gendarmerie], attachments, body: body, path: "exchanges/check");
            return await Json.ReadAsync(response, HttpStatusCode.OK);
        }
        var allowed = await CheckAsync("Point de situation");
        var held = await CheckAsync("Suite au PV d'audition du 3 mars");
        var denied = await CheckAsync("Note", ExchangeWorld.Text("pv.txt", "PROCES-VERBAL. Nous soussigné, officier de police judiciaire"));
        Assert.Multiple(() =>
        {
            Assert.That(allowed.GetProperty("outcome").GetString(), Is.EqualTo("allowed"));
            Assert.That(held.GetProperty("outcome").GetString(), Is.EqualTo("held"));
            Assert.That(held.GetProperty("holds")[0].GetProperty("ruleId").GetString(), Is.EqualTo("CONF-2"));
            Assert.That(denied.GetProperty("outcome").GetString(), Is.EqualTo("denied"));
            Assert.That(denied.GetProperty("violations")[0].GetProperty("markers")[0].GetProperty("form").GetString(), Is.EqualTo("document"));
        });
    }
}
