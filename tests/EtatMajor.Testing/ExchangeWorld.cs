using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EtatMajor.Testing;

/// <summary>
/// An EMS with every situation CONF-1..4 distinguishes: acknowledged members, a member who has not
/// acknowledged, a removed member, a meeting guest, and an outsider.
/// </summary>
public sealed record ExchangeWorld(
    Guid Instance, Actor Prefet, Actor Procureur, Actor Police, Actor Gendarmerie, Actor Douanes, Actor Removed, Actor Guest, Actor Stranger)
{
    public static async Task<ExchangeWorld> CreateAsync(TestApi api, bool withRules = true)
    {
        var departement = TestApi.FreshDepartement();
        var prefet = await api.ActorAsync("prefet", departement, "governance", "exchange");
        var procureur = await api.ActorAsync("procureur", departement, "governance", "exchange");
        using (var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
               {
                   kind = "ems", departement, name = $"EMS {departement}", prefetOrganisationId = prefet.OrganisationId, procureurOrganisationId = procureur.OrganisationId,
               }))
        {
            var instance = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
            var police = await api.ActorAsync("police-nationale", departement, "exchange");
            var gendarmerie = await api.ActorAsync("gendarmerie-nationale", departement, "exchange");
            var douanes = await api.ActorAsync("douanes", departement, "exchange");
            var removed = await api.ActorAsync("finances-publiques", departement, "exchange");
            var guest = await api.ActorAsync("bailleur-social", departement, "exchange");
            var stranger = await api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "exchange");
            foreach (var member in new[] { police, gendarmerie, douanes, removed })
            {
                using var added = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/members", new { organisationId = member.OrganisationId });
                await Json.ReadAsync(added, HttpStatusCode.Created);
            }
            using (var meeting = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/meetings", new
                   {
                       heldOn = "2026-01-13", guests = new[] { new { name = "Bailleur", category = "bailleur-social", organisationId = guest.OrganisationId } },
                   }))
            {
                await Json.ReadAsync(meeting, HttpStatusCode.Created);
            }
            var world = new ExchangeWorld(instance, prefet, procureur, police, gendarmerie, douanes, removed, guest, stranger);
            if (withRules)
            {
                using (var rules = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/internal-rules", new
                       {
                           version = "1", adoptedByCdpdOn = "2025-12-01", cdpdDeliberationReference = "CDPD 2025-12", inForceFrom = "2026-01-01", text = "Règlement",
                       }))
                {
                    await Json.ReadAsync(rules, HttpStatusCode.Created);
                }
                foreach (var member in new[] { prefet, procureur, police, gendarmerie, removed })
                {
                    using var ack = await member.Http.PostAsync($"/api/v1/instances/{instance}/internal-rules/current/acknowledgements", null);
                    await Json.ReadAsync(ack, HttpStatusCode.Created);
                }
            }
            using (var removal = await prefet.Http.DeleteAsync($"/api/v1/instances/{instance}/members/{removed.OrganisationId}"))
            {
                Assert.That(removal.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            }
            return world;
        }
    }

    public static object Attachment(string fileName, string mediaType, string documentKind, byte[] content) =>
        new { fileName, mediaType, documentKind, contentBase64 = Convert.ToBase64String(content) };

    public static object Text(string fileName, string text, string documentKind = "note") =>
        Attachment(fileName, "text/plain", documentKind, Encoding.UTF8.GetBytes(text));

    public Task<HttpResponseMessage> SendAsync(Actor sender, IEnumerable<Actor> recipients, object[]? attachments = null,
        string body = "Point de situation sur le quartier", string path = "exchanges") =>
        sender.Http.PostAsJsonAsync($"/api/v1/instances/{Instance}/{path}", new
        {
            subject = "Situation hebdomadaire", body, recipientOrganisationIds = recipients.Select(r => r.OrganisationId).ToArray(), attachments = attachments ?? [],
        });

    public static async Task<JsonElement> DeniedAsync(HttpResponseMessage response, string ruleId, string type)
    {
        var problem = await Json.RuleViolationAsync(response, HttpStatusCode.Forbidden, ruleId);
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo(type));
        return problem;
    }
}
