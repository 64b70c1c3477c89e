using System.Net;
using System.Net.Http.Json;

namespace EtatMajor.Testing;

/// <summary>A département with its co-chairs and, on demand, an EMS or a CCOFSI.</summary>
public sealed record Departement(string Code, Actor Prefet, Actor Procureur)
{
    public static async Task<Departement> CreateAsync(TestApi api)
    {
        var code = TestApi.FreshDepartement();
        return new Departement(code, await api.ActorAsync("prefet", code, "governance"), await api.ActorAsync("procureur", code, "governance"));
    }

    public async Task<Guid> EmsAsync()
    {
        using var response = await Prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ems", departement = Code, name = $"EMS {Code}", prefetOrganisationId = Prefet.OrganisationId, procureurOrganisationId = Procureur.OrganisationId,
        });
        return (await Json.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public async Task<Guid> CcofsiAsync(string zsp, params string[] communes)
    {
        using var response = await Prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ccofsi", departement = Code, name = $"CCOFSI {zsp}", prefetOrganisationId = Prefet.OrganisationId, procureurOrganisationId = Procureur.OrganisationId,
            zsp = new { name = zsp, communes = communes.Length > 0 ? communes : [$"{Code}101", $"{Code}102"] },
        });
        return (await Json.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    /// <summary>The CDPD's règlement intérieur of the département, covering all its instances or those given (CONF-3).</summary>
    public Task<Guid> RulesAsync(string version = "1", string inForceFrom = "2025-01-01", params Guid[] instanceIds) =>
        ExchangeWorld.RecordRulesAsync(Prefet, Code, version, inForceFrom, instanceIds.Length == 0 ? null : instanceIds);

    public async Task AddParticipantAsync(Guid ems, Actor participant)
    {
        using var response = await Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/participants", new { organisationId = participant.OrganisationId });
        await Json.ReadAsync(response, HttpStatusCode.Created);
    }

    public async Task AddAsync(Guid instance, Actor member)
    {
        using var response = await Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/members", new { organisationId = member.OrganisationId });
        await Json.ReadAsync(response, HttpStatusCode.Created);
    }
}
