using System.Net;
using System.Net.Http.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Governance;

/// <summary>
/// Issue 10, "done when": the law as the legal review reads it, tried through the HTTP API as a new user would.
/// (The authorising act, the retention and the motif have their own tests in Exchange/PersonalDataTests.)
/// </summary>
public sealed class LawVersion2Tests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public async Task COMP_1_COMP_4_CONF_1_an_ems_of_two_procureurs_whose_police_and_dasen_take_part_but_are_neither_members_nor_recipients()
    {
        var d = await Departement.CreateAsync(Api);
        var prefet = await Api.ActorAsync("prefet", d.Code, "governance", "exchange");
        var first = await Api.ActorAsync("procureur", d.Code, "governance", "exchange");
        var second = await Api.ActorAsync("procureur", d.Code, "governance", "exchange");
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ems", departement = d.Code, name = "EMS", prefetOrganisationId = prefet.OrganisationId,
            procureurOrganisationIds = new[] { first.OrganisationId, second.OrganisationId },
        });
        var ems = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var police = await Api.ActorAsync("police-nationale", d.Code, "exchange");
        var dasen = await Api.ActorAsync("education-nationale", d.Code, "exchange");
        foreach (var service in new[] { police, dasen })
        {
            using (var asMember = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/members", new { organisationId = service.OrganisationId }))
            {
                await Json.RuleViolationAsync(asMember, HttpStatusCode.UnprocessableEntity, "COMP-1");
            }
            using var asParticipant = await first.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/participants", new { organisationId = service.OrganisationId });
            await Json.ReadAsync(asParticipant, HttpStatusCode.Created);
        }
        await ExchangeWorld.RecordRulesAsync(prefet, d.Code);
        foreach (var coChair in new[] { prefet, first, second })
        {
            using var ack = await coChair.Http.PostAsync($"/api/v1/instances/{ems}/internal-rules/current/acknowledgements", null);
            await Json.ReadAsync(ack, HttpStatusCode.Created);
        }
        using (var toParticipants = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/exchanges", new
               {
                   subject = "Point", body = "Situation du département", recipientOrganisationIds = new[] { police.OrganisationId, dasen.OrganisationId },
               }))
        {
            var problem = await ExchangeWorld.DeniedAsync(toParticipants, "CONF-1", "/problems/third-party-recipient");
            Assert.That(problem.GetProperty("violations")[0].GetProperty("recipients").EnumerateArray().Select(r => r.GetGuid()),
                Is.EquivalentTo(new[] { police.OrganisationId, dasen.OrganisationId }));
        }
        using var toTheOtherProcureur = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/exchanges", new
        {
            subject = "Point", body = "Situation du département", recipientOrganisationIds = new[] { first.OrganisationId, second.OrganisationId },
        });
        await Json.ReadAsync(toTheOtherProcureur, HttpStatusCode.Created);
    }

    [Test]
    public async Task CONF_2_in_practice_a_mention_is_held_and_released_a_pv_is_refused_disguises_never_arrive_and_ordinary_notes_pass()
    {
        var world = await ExchangeWorld.CreateAsync(Api);

        // A note mentioning a PV: held, released by the procureur, read by the recipient.
        using (var mention = await world.SendAsync(world.Police, [world.Gendarmerie], body: "Pour mémoire, le PV d'audition du 3 mars confirme les faits."))
        {
            var id = (await Json.ReadAsync(mention, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
            using (var released = await world.Procureur.Http.PostAsync($"/api/v1/exchanges/{id}/release", null))
            {
                await Json.ReadAsync(released, HttpStatusCode.OK);
            }
            using var read = await world.Gendarmerie.Http.GetAsync($"/api/v1/exchanges/{id}");
            Assert.That((await Json.ReadAsync(read, HttpStatusCode.OK)).GetProperty("body").GetString(), Does.Contain("PV d'audition"));
        }

        // A PDF with a PV heading and "nous soussigné, officier de police judiciaire": refused.
        using (var pv = await world.SendAsync(world.Police, [world.Gendarmerie], [ExchangeWorld.Attachment("note.pdf", "application/pdf", "note", HostilePdfs.Plain(HostilePdfs.Pv))]))
        {
            await ExchangeWorld.DeniedAsync(pv, "CONF-2", "/problems/criminal-procedure-document");
        }

        // A scanned page, a rotated PV, a PV inside an annotation: each held or refused, never delivered.
        var disguised = new (string Name, byte[] Pdf)[]
        {
            ("scan.pdf", HostilePdfs.Scan()), ("paysage.pdf", HostilePdfs.RotatedText(90, HostilePdfs.Pv)), ("tourne.pdf", HostilePdfs.RotatedPage(HostilePdfs.Pv)),
            ("annote.pdf", HostilePdfs.WithAnnotation("FreeText", string.Join(' ', HostilePdfs.Pv))),
        };
        foreach (var (name, pdf) in disguised)
        {
            using var response = await world.SendAsync(world.Police, [world.Gendarmerie], [ExchangeWorld.Attachment(name, "application/pdf", "note", pdf)]);
            Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Accepted, HttpStatusCode.Forbidden), name);
        }
        using (var received = await world.Gendarmerie.Http.GetAsync($"/api/v1/instances/{world.Instance}/exchanges?limit=200"))
        {
            var subjects = (await Json.ReadAsync(received, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
                .Where(e => e.GetProperty("direction").GetString() == "received").ToList();
            Assert.That(subjects, Has.Count.EqualTo(1), "only the released note reached the gendarmerie");
        }

        // Every near-miss of the review passes, delivered at once.
        foreach (var text in new[]
                 {
                     "procès-verbal de la réunion de l'EMS", "PV de séance", "ordonnance de 1945", "l'ordonnance du 19 novembre 2025",
                     "ordonnances de protection délivrées par le JAF", "réquisitions préfectorales", "jugement du tribunal administratif annulant l'arrêté",
                     "l'APP n'est pas inscrit au casier judiciaire", "bulletin n° 1 de la lettre d'information", "rapport d'expertise sur le péril de l'immeuble",
                     "Commune ; Parquet 2023 2024 ; Évolution", "Les réquisitions de logements vacants par le préfet",
                     "Son discours était un véritable réquisitoire contre la politique de la ville",
                     "Merci de valider le procès-verbal de notre réunion de l'état-major", "Il présentait une ordonnance du médecin traitant",
                     "Bulletin n° 1 de vigilance météo", "vérification du casier judiciaire des animateurs", "Budget du parquet : 1 250 000 euros",
                     "Bilan d'activité du parquet 2023-2024", "Nombre de commissions rogatoires exécutées en 2025 : 42", "Centrale PV no 2 sur le toit du commissariat",
                 })
        {
            using var response = await world.SendAsync(world.Police, [world.Gendarmerie], body: text);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{text}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
