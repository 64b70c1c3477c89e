using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EtatMajor.Testing;

/// <summary>
/// A département with two procureurs, as POL-1 and POL-2 distinguish them: an EMS co-chaired by the préfet and both
/// procureurs, a CCOFSI co-chaired by the préfet and the first procureur with the police as a member, a participant of
/// the EMS (gendarmerie), and a procureur of another département. Every client holds the governance, exchange and
/// penal-policy scopes; the règlement is in force and acknowledged by every member.
/// </summary>
public sealed record PenalPolicyWorld(
    TestApi Api, string Departement, Guid Ems, Guid Ccofsi, Actor Prefet, Actor ProcureurA, Actor ProcureurB, Actor Police, Actor Participant, Actor Stranger)
{
    public static readonly string[] Scopes = ["governance", "exchange", "penal-policy"];

    public static async Task<PenalPolicyWorld> CreateAsync(TestApi api, string rulesInForceFrom = "2026-01-01")
    {
        var departement = TestApi.FreshDepartement();
        var prefet = await api.ActorAsync("prefet", departement, Scopes);
        var a = await api.ActorAsync("procureur", departement, Scopes);
        var b = await api.ActorAsync("procureur", departement, Scopes);
        var ems = await CreateAsync(prefet, new
        {
            kind = "ems", departement, name = $"EMS {departement}", prefetOrganisationId = prefet.OrganisationId,
            procureurOrganisationIds = new[] { a.OrganisationId, b.OrganisationId },
        });
        var ccofsi = await CreateAsync(prefet, new
        {
            kind = "ccofsi", departement, name = $"CCOFSI {departement}", prefetOrganisationId = prefet.OrganisationId,
            procureurOrganisationIds = new[] { a.OrganisationId }, zsp = new { name = "Centre", communes = new[] { $"{departement}101" } },
        });
        var police = await api.ActorAsync("police-nationale", departement, Scopes);
        using (var added = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/members", new { organisationId = police.OrganisationId }))
        {
            await Json.ReadAsync(added, HttpStatusCode.Created);
        }
        var participant = await api.ActorAsync("gendarmerie-nationale", departement, Scopes);
        using (var joined = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/participants", new { organisationId = participant.OrganisationId }))
        {
            await Json.ReadAsync(joined, HttpStatusCode.Created);
        }
        await ExchangeWorld.RecordRulesAsync(prefet, departement, inForceFrom: rulesInForceFrom);
        foreach (var (instance, member) in new[] { (ems, prefet), (ems, a), (ems, b), (ccofsi, prefet), (ccofsi, a), (ccofsi, police) })
        {
            using var ack = await member.Http.PostAsync($"/api/v1/instances/{instance}/internal-rules/current/acknowledgements", null);
            await Json.ReadAsync(ack, HttpStatusCode.Created);
        }
        return new PenalPolicyWorld(api, departement, ems, ccofsi, prefet, a, b, police, participant,
            await api.ActorAsync("procureur", TestApi.FreshDepartement(), Scopes));
    }

    private static async Task<Guid> CreateAsync(Actor prefet, object body)
    {
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", body);
        return (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    /// <summary>A meeting of the instance held on <paramref name="heldOn"/> (recorded by the préfet).</summary>
    public async Task<Guid> MeetingAsync(Guid instance, string heldOn)
    {
        using var response = await Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/meetings", new { heldOn, themes = new[] { "Politique pénale" } });
        return (await Json.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> ReportAsync(Actor procureur, int year, string communicatedOn)
    {
        using var response = await procureur.Http.PostAsJsonAsync("/api/v1/penal-policy-reports", new { year, communicatedToProcureurGeneralOn = communicatedOn });
        return await Json.ReadAsync(response, HttpStatusCode.Created);
    }

    public Task<HttpResponseMessage> DeliverAsync(Actor procureur, Guid report, Guid[] instances, string text = Synthesis, object[]? attachments = null) =>
        procureur.Http.PostAsJsonAsync($"/api/v1/penal-policy-reports/{report}/syntheses", new { instanceIds = instances, text, attachments });

    /// <summary>What a synthesis says by nature (POL-2): réquisitions, casier judiciaire, ordonnances pénales.</summary>
    public const string Synthesis =
        "Synthèse du rapport annuel de politique pénale : hausse de 12 % des ordonnances pénales délictuelles, réquisitions d'interdiction de paraître " +
        "dans les quartiers de reconquête, consultation systématique du casier judiciaire avant toute alternative aux poursuites.";

    public static string StatusOf(JsonElement report, Guid instance) =>
        report.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("instanceId").GetGuid() == instance).GetProperty("status").GetString()!;
}
