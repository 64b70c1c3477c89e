using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EtatMajor.Testing;

/// <summary>
/// A CCOFSI for the follow-up of designated persons, with every standing DES-5 and FLOW-1 distinguish: the co-chairs
/// (procureur, préfet), members (police, gendarmerie), a municipal service and an association that are not members,
/// the judicial side (JAP, SPIP), a guest organisation, police of another département, an auditor. Every client holds
/// the follow-up and exchange scopes; the règlement is in force and acknowledged by the members.
/// </summary>
public sealed record FollowUpWorld(
    TestApi Api, Guid Instance, string Departement, Actor Procureur, Actor Prefet, Actor Police, Actor Gendarmerie, Actor Mairie, Actor Association,
    Actor Jap, Actor Spip, Actor Guest, Actor Stranger)
{
    public static readonly string[] Scopes = ["governance", "exchange", "follow-up"];

    public static async Task<FollowUpWorld> CreateAsync(TestApi api)
    {
        var departement = TestApi.FreshDepartement();
        var prefet = await api.ActorAsync("prefet", departement, Scopes);
        var procureur = await api.ActorAsync("procureur", departement, Scopes);
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ccofsi", departement, name = $"CCOFSI {departement}", prefetOrganisationId = prefet.OrganisationId,
            procureurOrganisationIds = new[] { procureur.OrganisationId }, zsp = new { name = "Centre", communes = new[] { $"{departement}101" } },
        });
        var instance = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var police = await api.ActorAsync("police-nationale", departement, Scopes);
        var gendarmerie = await api.ActorAsync("gendarmerie-nationale", departement, Scopes);
        foreach (var member in new[] { police, gendarmerie })
        {
            using var added = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/members", new { organisationId = member.OrganisationId });
            await Json.ReadAsync(added, HttpStatusCode.Created);
        }
        await ExchangeWorld.RecordRulesAsync(prefet, departement);
        foreach (var member in new[] { prefet, procureur, police, gendarmerie })
        {
            using var ack = await member.Http.PostAsync($"/api/v1/instances/{instance}/internal-rules/current/acknowledgements", null);
            await Json.ReadAsync(ack, HttpStatusCode.Created);
        }
        return new FollowUpWorld(api, instance, departement, procureur, prefet, police, gendarmerie,
            await api.ActorAsync("maire", departement, Scopes), await api.ActorAsync("association", departement, Scopes),
            await api.ActorAsync("jap", departement, Scopes), await api.ActorAsync("spip", departement, Scopes),
            await api.ActorAsync("bailleur-social", departement, Scopes), await api.ActorAsync("police-nationale", TestApi.FreshDepartement(), Scopes));
    }

    /// <summary>A designation request, as the procureur sends it, with two obligations (the second ending on <paramref name="secondUntil"/>).</summary>
    public static object Body(string lastName = "Martin", string firstNames = "Jean Paul", string birthDate = "1990-04-12", string releasedOn = "2026-11-02",
        object? japOpinion = null, string? firstUntil = null, string? secondUntil = "2027-11-01") => new
    {
        person = new { lastName, firstNames, birthDate },
        releasedOn,
        japOpinion = japOpinion ?? new { favourable = true, givenOn = "2026-10-20", judgeCapacity = "jap", reference = "JAP-2026-0042" },
        obligations = new object[]
        {
            new { kind = "prohibition", description = "Ne pas paraître dans le quartier de la gare", imposedBy = "jap", decisionDate = "2026-10-20", from = "2026-11-02", until = firstUntil },
            new { kind = "obligation", description = "Pointer au commissariat chaque lundi", imposedBy = "trial-court", decisionDate = "2026-06-03", from = "2026-11-02", until = secondUntil },
        },
    };

    public async Task<JsonElement> DesignateAsync(object? body = null)
    {
        using var response = await Procureur.Http.PostAsJsonAsync($"/api/v1/instances/{Instance}/designations", body ?? Body());
        return await Json.ReadAsync(response, HttpStatusCode.Created);
    }

    public static Guid ObligationId(JsonElement designation, int index) => designation.GetProperty("obligations")[index].GetProperty("id").GetGuid();

    public async Task<Guid> AssignAsync(Guid designation, Actor service, params Guid[] obligations)
    {
        using var response = await Prefet.Http.PostAsJsonAsync($"/api/v1/designations/{designation}/assignments",
            new { organisationId = service.OrganisationId, obligationIds = obligations, modality = "Contrôle hebdomadaire" });
        return (await Json.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> ObserveAsync(Actor service, Guid designation, Guid obligation, string outcome = "respected", string note = "Présent au pointage") =>
        service.Http.PostAsJsonAsync($"/api/v1/designations/{designation}/observations",
            new { obligationId = obligation, observedOn = "2026-11-09", outcome, note });
}
