using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EtatMajor.Testing;

/// <summary>
/// A CCOFSI with every situation CONF-1..4 distinguishes: acknowledged members (the co-chairs, police,
/// gendarmerie), a member who has not acknowledged (douanes), a removed member (a second gendarmerie unit), a
/// meeting guest, and an outsider (police of another département).
/// </summary>
public sealed record ExchangeWorld(
    Guid Instance, string Departement, Actor Prefet, Actor Procureur, Actor Police, Actor Gendarmerie, Actor Douanes, Actor Removed, Actor Guest, Actor Stranger)
{
    public static async Task<ExchangeWorld> CreateAsync(TestApi api, bool withRules = true)
    {
        var departement = TestApi.FreshDepartement();
        var prefet = await api.ActorAsync("prefet", departement, "governance", "exchange");
        var procureur = await api.ActorAsync("procureur", departement, "governance", "exchange");
        using (var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
               {
                   kind = "ccofsi", departement, name = $"CCOFSI {departement}", prefetOrganisationId = prefet.OrganisationId,
                   procureurOrganisationIds = new[] { procureur.OrganisationId },
                   zsp = new { name = "Quartiers nord", communes = new[] { $"{departement}101" } },
               }))
        {
            var instance = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
            var police = await api.ActorAsync("police-nationale", departement, "exchange");
            var gendarmerie = await api.ActorAsync("gendarmerie-nationale", departement, "exchange");
            var douanes = await api.ActorAsync("douanes", departement, "exchange");
            var removed = await api.ActorAsync("gendarmerie-nationale", departement, "exchange");
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
            var world = new ExchangeWorld(instance, departement, prefet, procureur, police, gendarmerie, douanes, removed, guest, stranger);
            if (withRules)
            {
                await RecordRulesAsync(prefet, departement);
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

    /// <summary>The CDPD's règlement intérieur of the département, recorded by its préfet, covering all its instances (CONF-3).</summary>
    public static async Task<Guid> RecordRulesAsync(Actor prefet, string departement, string version = "1", string inForceFrom = "2026-01-01", Guid[]? instanceIds = null)
    {
        using var rules = await prefet.Http.PostAsJsonAsync("/api/v1/internal-rules", new
        {
            departement, version, adoptedByCdpdOn = "2024-12-01", cdpdDeliberationReference = $"CDPD {departement} 2024-12", proposedBy = "Groupe de travail sécurité",
            inForceFrom, text = "Règlement", instanceIds,
        });
        return (await Json.ReadAsync(rules, HttpStatusCode.Created)).GetProperty("id").GetGuid();
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
