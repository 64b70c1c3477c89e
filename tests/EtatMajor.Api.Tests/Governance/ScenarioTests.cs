using System.Net;
using System.Net.Http.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Governance;

/// <summary>
/// Issue 4, "done when": a département's EMS and a ZSP's CCOFSI set up from scratch through the API — members,
/// a mayor by joint proposal, a year of meetings, a règlement intérieur acknowledged by each member — and the
/// cadence and DNO reports show exactly the months and counts entered.
/// </summary>
public sealed class ScenarioTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public async Task MEET_1_MEET_2_COMP_3_COMP_4_CONF_4_an_ems_and_a_ccofsi_from_scratch_over_a_year()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        var ccofsi = await d.CcofsiAsync("Quartiers prioritaires", $"{d.Code}301", $"{d.Code}302");

        var forces = new List<Actor>();
        foreach (var kind in new[] { "police-nationale", "gendarmerie-nationale", "douanes" })
        {
            var force = await Api.ActorAsync(kind, d.Code, "governance", "exchange");
            await d.AddParticipantAsync(ems, force);
            await d.AddAsync(ccofsi, force);
            forces.Add(force);
        }
        var dasen = await Api.ActorAsync("education-nationale", d.Code, "governance");
        await d.AddParticipantAsync(ems, dasen);
        var ddfip = await Api.ActorAsync("finances-publiques", d.Code, "governance");
        await d.AddParticipantAsync(ems, ddfip);

        // A mayor of the ZSP, by joint proposal of the préfet, co-signed by the procureur.
        var mayorOrganisation = await Api.CreateOrganisationAsync(TestApi.UniqueCode("mairie"), "maire", d.Code, $"{d.Code}301");
        var (mayorClient, mayorSecret) = await Api.CreateClientAsync(mayorOrganisation, "governance");
        var mayor = new Actor(mayorOrganisation, "mairie", mayorClient, mayorSecret, await Api.AsAsync(mayorClient, mayorSecret));
        using (var proposed = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/association-proposals",
                   new { organisationId = mayor.OrganisationId, rationale = "Commune au cœur de la ZSP" }))
        {
            var pid = (await Json.ReadAsync(proposed, HttpStatusCode.Created)).GetProperty("id").GetGuid();
            using var cosigned = await d.Procureur.Http.PostAsync($"/api/v1/instances/{ccofsi}/association-proposals/{pid}/cosign", null);
            await Json.ReadAsync(cosigned, HttpStatusCode.OK);
        }
        using (var complete = await mayor.Http.GetAsync($"/api/v1/instances/{ccofsi}"))
        {
            var instance = await Json.ReadAsync(complete, HttpStatusCode.OK);
            Assert.That(instance.GetProperty("composition").GetProperty("complete").GetBoolean(), Is.True);
        }
        using (var emsRead = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}"))
        {
            Assert.That((await Json.ReadAsync(emsRead, HttpStatusCode.OK)).GetProperty("composition").GetProperty("warnings").GetArrayLength(), Is.Zero);
        }

        // Meetings of 2025: the EMS misses April and August; the CCOFSI meets quarterly.
        var emsDays = new[] { "2025-01-14", "2025-02-11", "2025-03-11", "2025-03-25", "2025-05-13", "2025-06-10", "2025-07-08", "2025-09-09", "2025-10-14", "2025-11-12", "2025-12-09" };
        foreach (var day in emsDays)
        {
            using var meeting = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/meetings", new
            {
                heldOn = day, themes = new[] { "Prévention de la délinquance" },
                attendeeOrganisationIds = new[] { d.Prefet.OrganisationId, d.Procureur.OrganisationId, forces[0].OrganisationId },
                guests = day == "2025-06-10" ? new object[] { new { name = "Bailleur social départemental", category = "bailleur-social" } } : [],
            });
            await Json.ReadAsync(meeting, HttpStatusCode.Created);
        }
        foreach (var day in new[] { "2025-03-20", "2025-06-19", "2025-09-18", "2025-12-18" })
        {
            using var meeting = await d.Procureur.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/meetings", new { heldOn = day });
            await Json.ReadAsync(meeting, HttpStatusCode.Created);
        }

        // The règlement intérieur, acknowledged by each member of the CCOFSI.
        using (var adopted = await d.Prefet.Http.PostAsJsonAsync("/api/v1/internal-rules", new
               {
                   departement = d.Code, version = "2025-1", adoptedByCdpdOn = "2025-01-20", cdpdDeliberationReference = "CDPD 2025-03",
                   proposedBy = "Groupe de travail « échanges »", inForceFrom = "2025-02-01", text = "Modalités d'échange d'informations confidentielles",
               }))
        {
            await Json.ReadAsync(adopted, HttpStatusCode.Created);
        }
        var members = new[] { d.Prefet, d.Procureur, mayor }.Concat(forces).ToList();
        foreach (var member in members)
        {
            using var ack = await member.Http.PostAsync($"/api/v1/instances/{ccofsi}/internal-rules/current/acknowledgements", null);
            await Json.ReadAsync(ack, HttpStatusCode.Created);
        }
        using (var acknowledgements = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ccofsi}/internal-rules/acknowledgements"))
        {
            var list = await Json.ReadAsync(acknowledgements, HttpStatusCode.OK);
            Assert.That(list.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("organisationId").GetGuid()), Is.EquivalentTo(members.Select(m => m.OrganisationId)));
        }

        // Cadence (MEET-1) and DNO (MEET-2) show exactly what was entered.
        using (var cadenceResponse = await d.Procureur.Http.GetAsync($"/api/v1/instances/{ems}/meeting-cadence?year=2025"))
        {
            var cadence = await Json.ReadAsync(cadenceResponse, HttpStatusCode.OK);
            Assert.That(cadence.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("meetingsHeld").GetInt32()),
                Is.EqualTo(new[] { 1, 1, 2, 0, 1, 1, 1, 0, 1, 1, 1, 1 }));
            Assert.That(cadence.GetProperty("monthsBelowTarget").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "2025-04", "2025-08" }));
        }
        using (var s1 = await d.Prefet.Http.GetAsync("/api/v1/reports/dno?semester=2025-S1"))
        {
            var line = (await Json.ReadAsync(s1, HttpStatusCode.OK)).GetProperty("departements").EnumerateArray().Single();
            Assert.That(line.GetProperty("instanceId").GetGuid(), Is.EqualTo(ems), "only the EMS counts for the DNO");
            Assert.That(line.GetProperty("meetingsHeld").GetInt32(), Is.EqualTo(6));
            Assert.That(line.GetProperty("monthsWithoutMeeting").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "2025-04" }));
        }
        using (var s2 = await d.Prefet.Http.GetAsync("/api/v1/reports/dno?semester=2025-S2"))
        {
            var line = (await Json.ReadAsync(s2, HttpStatusCode.OK)).GetProperty("departements").EnumerateArray().Single();
            Assert.That(line.GetProperty("meetingsHeld").GetInt32(), Is.EqualTo(5));
            Assert.That(line.GetProperty("monthsWithoutMeeting").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "2025-08" }));
        }
    }
}
