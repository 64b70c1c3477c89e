using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EtatMajor.Modules.PenalPolicy.Domain;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.PenalPolicy;

/// <summary>
/// The penal policy, rule by rule and role by role (POL-1, POL-2, OPN-1, CONF-1..4 on a synthesis), on the API's clock
/// as it starts (2026-11-16): briefings and their status, annual reports and their due dates, syntheses through the
/// policy, opinions on the art. 41-1 CPP measures, the overview.
/// </summary>
public sealed class PenalPolicyTests(DatabaseProvider provider) : ApiTest(provider)
{
    private PenalPolicyWorld world = null!;

    [OneTimeSetUp]
    public async Task CreateWorld() => world = await PenalPolicyWorld.CreateAsync(Api);

    private static object Briefing(int year = 2026, string heldOn = "2026-03-12", Guid? meetingId = null, string summary = "Priorités : violences intrafamiliales, stupéfiants") =>
        new { year, heldOn, meetingId, summary };

    private async Task<JsonElement> StatusAsync(Actor actor, Guid instance, int year)
    {
        using var response = await actor.Http.GetAsync($"/api/v1/instances/{instance}/penal-policy/status?year={year}");
        return await Json.ReadAsync(response, HttpStatusCode.OK);
    }

    private static async Task<JsonElement> ReadReportAsync(Actor procureur, Guid report)
    {
        using var response = await procureur.Http.GetAsync($"/api/v1/penal-policy-reports/{report}");
        return await Json.ReadAsync(response, HttpStatusCode.OK);
    }

    private static string StatusOf(JsonElement status, Actor procureur) =>
        status.GetProperty("procureurs").EnumerateArray().Single(p => p.GetProperty("procureurOrganisationId").GetGuid() == procureur.OrganisationId)
            .GetProperty("status").GetString()!;

    [Test]
    public async Task POL_1_a_procureur_co_chair_records_his_briefing_and_each_procureur_is_held_pending_or_missing()
    {
        Guid id;
        using (var recorded = await world.ProcureurA.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ems}/penal-policy-briefings", Briefing()))
        {
            var briefing = await Json.ReadAsync(recorded, HttpStatusCode.Created);
            id = briefing.GetProperty("id").GetGuid();
            Assert.That(briefing.GetProperty("procureurOrganisationId").GetGuid(), Is.EqualTo(world.ProcureurA.OrganisationId), "his own briefing");
        }
        var current = await StatusAsync(world.Prefet, world.Ems, 2026);
        var before = await StatusAsync(world.ProcureurB, world.Ems, 2025);
        Assert.Multiple(() =>
        {
            Assert.That(current.GetProperty("ruleId").GetString(), Is.EqualTo("POL-1"));
            Assert.That(StatusOf(current, world.ProcureurA), Is.EqualTo("held"));
            Assert.That(current.GetProperty("procureurs").EnumerateArray()
                .Single(p => p.GetProperty("procureurOrganisationId").GetGuid() == world.ProcureurA.OrganisationId).GetProperty("briefings")[0]
                .GetProperty("heldOn").GetString(), Is.EqualTo("2026-03-12"));
            Assert.That(StatusOf(current, world.ProcureurB), Is.EqualTo("pending"), "the current year, none yet");
            Assert.That(before.GetProperty("procureurs").GetArrayLength(), Is.Zero,
                "nobody co-chaired the instance on 31 December 2025: it was created in 2026 (a past year's `missing` is in the deadline walk)");
        });
        using (var future = await world.Prefet.Http.GetAsync($"/api/v1/instances/{world.Ems}/penal-policy/status?year=2027"))
        {
            await Json.ProblemAsync(future, HttpStatusCode.UnprocessableEntity);
        }
        var other = await StatusAsync(world.Police, world.Ccofsi, 2026);
        Assert.That(other.GetProperty("procureurs").EnumerateArray().SelectMany(p => p.GetProperty("briefings").EnumerateArray()).Select(b => b.GetProperty("id").GetGuid()),
            Does.Not.Contain(id), "a briefing is per instance: the EMS's does not count for the CCOFSI");
    }

    [Test]
    public async Task POL_1_a_briefing_given_in_a_meeting_has_its_date_and_names_a_meeting_of_that_instance()
    {
        var meeting = await world.MeetingAsync(world.Ccofsi, "2026-06-10");
        var emsMeeting = await world.MeetingAsync(world.Ems, "2026-06-11");
        using (var recorded = await world.ProcureurA.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/penal-policy-briefings",
                   Briefing(heldOn: "2026-06-10", meetingId: meeting)))
        {
            Assert.That((await Json.ReadAsync(recorded, HttpStatusCode.Created)).GetProperty("meetingId").GetGuid(), Is.EqualTo(meeting));
        }
        using (var otherDay = await world.ProcureurA.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/penal-policy-briefings",
                   Briefing(heldOn: "2026-06-12", meetingId: meeting)))
        {
            await Json.RuleViolationAsync(otherDay, HttpStatusCode.UnprocessableEntity, "POL-1");
        }
        using (var otherInstance = await world.ProcureurA.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/penal-policy-briefings",
                   Briefing(heldOn: "2026-06-11", meetingId: emsMeeting)))
        {
            await Json.RuleViolationAsync(otherInstance, HttpStatusCode.UnprocessableEntity, "POL-1");
        }
    }

    [Test]
    public async Task POL_1_only_a_procureur_co_chair_records_a_briefing_and_a_stranger_learns_nothing()
    {
        var before = Database.Scalar(Api, "SELECT COUNT(*) FROM pp_briefings");
        using (var prefet = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ems}/penal-policy-briefings", Briefing()))
        {
            await Json.RuleViolationAsync(prefet, HttpStatusCode.Forbidden, "POL-1");
        }
        using (var police = await world.Police.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/penal-policy-briefings", Briefing()))
        {
            await Json.RuleViolationAsync(police, HttpStatusCode.Forbidden, "POL-1");
        }
        foreach (var (actor, instance) in new[] { (world.ProcureurB, world.Ccofsi), (world.Stranger, world.Ems), (world.Participant, world.Ems) })
        {
            using var response = await actor.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/penal-policy-briefings", Briefing());
            await Json.ProblemAsync(response, HttpStatusCode.NotFound);
            using var status = await actor.Http.GetAsync($"/api/v1/instances/{instance}/penal-policy/status");
            await Json.ProblemAsync(status, HttpStatusCode.NotFound);
        }
        using (var future = await world.ProcureurA.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ems}/penal-policy-briefings", Briefing(heldOn: "2026-12-01")))
        {
            await Json.RuleViolationAsync(future, HttpStatusCode.UnprocessableEntity, "POL-1");
        }
        using (var wrongYear = await world.ProcureurA.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ems}/penal-policy-briefings", Briefing(year: 2025)))
        {
            var problem = await Json.ProblemAsync(wrongYear, HttpStatusCode.BadRequest);
            Assert.That(problem.GetProperty("errors").TryGetProperty("heldOn", out _), Is.True);
        }
        using (var longSummary = await world.ProcureurA.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ems}/penal-policy-briefings",
                   Briefing(summary: new string('x', 4001))))
        {
            Assert.That((await Json.ProblemAsync(longSummary, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("summary", out _), Is.True);
        }
        Assert.That(Database.Scalar(Api, "SELECT COUNT(*) FROM pp_briefings"), Is.EqualTo(before), "nothing refused was written");
    }

    [Test]
    public void POL_2_the_synthesis_is_due_one_calendar_month_after_the_communication()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Deadlines.SynthesisDueOn(new DateOnly(2026, 1, 31)), Is.EqualTo(new DateOnly(2026, 2, 28)));
            Assert.That(Deadlines.SynthesisDueOn(new DateOnly(2026, 3, 31)), Is.EqualTo(new DateOnly(2026, 4, 30)));
            Assert.That(Deadlines.SynthesisDueOn(new DateOnly(2028, 1, 30)), Is.EqualTo(new DateOnly(2028, 2, 29)));
            Assert.That(Deadlines.SynthesisDueOn(new DateOnly(2028, 1, 31)), Is.EqualTo(new DateOnly(2028, 2, 29)));
            Assert.That(Deadlines.SynthesisDueOn(new DateOnly(2026, 12, 31)), Is.EqualTo(new DateOnly(2027, 1, 31)));
            Assert.That(Deadlines.SynthesisDueOn(new DateOnly(2026, 2, 28)), Is.EqualTo(new DateOnly(2026, 3, 28)));
            var due = new DateOnly(2026, 2, 28);
            Assert.That(Deadlines.Synthesis(due, due, due.AddDays(5)), Is.EqualTo(SynthesisStatus.OnTime), "delivered on the due date");
            Assert.That(Deadlines.Synthesis(due, due.AddDays(1), due.AddDays(5)), Is.EqualTo(SynthesisStatus.Late));
            Assert.That(Deadlines.Synthesis(due, null, due), Is.EqualTo(SynthesisStatus.Pending), "the due date itself is still in time");
            Assert.That(Deadlines.Synthesis(due, null, due.AddDays(1)), Is.EqualTo(SynthesisStatus.Overdue));
        });
    }

    [Test]
    public async Task POL_2_a_report_is_recorded_by_a_procureur_with_its_due_date_and_the_instances_he_co_chairs()
    {
        var a = await world.ReportAsync(world.ProcureurA, 2025, "2026-01-31");
        var b = await world.ReportAsync(world.ProcureurB, 2025, "2026-03-31");
        Assert.Multiple(() =>
        {
            Assert.That(a.GetProperty("synthesisDueOn").GetString(), Is.EqualTo("2026-02-28"));
            Assert.That(a.GetProperty("ruleId").GetString(), Is.EqualTo("POL-2"));
            Assert.That(a.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetGuid()),
                Is.EquivalentTo(new[] { world.Ems, world.Ccofsi }), "every EMS and CCOFSI where he is co-chair");
            Assert.That(PenalPolicyWorld.StatusOf(a, world.Ems), Is.EqualTo("overdue"), "2026-02-28 is past and nothing was delivered");
            Assert.That(b.GetProperty("synthesisDueOn").GetString(), Is.EqualTo("2026-04-30"));
            Assert.That(b.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetGuid()), Is.EqualTo(new[] { world.Ems }));
        });
        using (var again = await world.ProcureurA.Http.PostAsJsonAsync("/api/v1/penal-policy-reports", new { year = 2025, communicatedToProcureurGeneralOn = "2026-02-01" }))
        {
            await Json.ProblemAsync(again, HttpStatusCode.Conflict);
        }
        using (var read = await world.ProcureurA.Http.GetAsync($"/api/v1/penal-policy-reports/{a.GetProperty("id").GetGuid()}"))
        {
            Assert.That((await Json.ReadAsync(read, HttpStatusCode.OK)).GetProperty("synthesisDueOn").GetString(), Is.EqualTo("2026-02-28"));
        }
        foreach (var other in new[] { world.ProcureurB, world.Prefet, world.Stranger })
        {
            using var read = await other.Http.GetAsync($"/api/v1/penal-policy-reports/{a.GetProperty("id").GetGuid()}");
            await Json.ProblemAsync(read, HttpStatusCode.NotFound);
        }
        using (var list = await world.ProcureurB.Http.GetAsync("/api/v1/penal-policy-reports?year=2025"))
        {
            var items = (await Json.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items");
            Assert.That(items.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()), Is.EqualTo(new[] { b.GetProperty("id").GetGuid() }), "his own reports only");
        }
    }

    [Test]
    public async Task POL_2_a_communication_in_the_future_is_refused_and_only_a_procureur_records_one()
    {
        using (var future = await world.ProcureurA.Http.PostAsJsonAsync("/api/v1/penal-policy-reports", new { year = 2026, communicatedToProcureurGeneralOn = "2026-11-17" }))
        {
            await Json.RuleViolationAsync(future, HttpStatusCode.UnprocessableEntity, "POL-2");
        }
        using (var prefet = await world.Prefet.Http.PostAsJsonAsync("/api/v1/penal-policy-reports", new { year = 2026, communicatedToProcureurGeneralOn = "2026-11-02" }))
        {
            await Json.RuleViolationAsync(prefet, HttpStatusCode.Forbidden, "POL-2");
        }
        using (var before = await world.ProcureurA.Http.PostAsJsonAsync("/api/v1/penal-policy-reports", new { year = 2026, communicatedToProcureurGeneralOn = "2025-12-31" }))
        {
            var problem = await Json.ProblemAsync(before, HttpStatusCode.BadRequest);
            Assert.That(problem.GetProperty("errors").TryGetProperty("communicatedToProcureurGeneralOn", out _), Is.True);
        }
        Assert.That(Database.Scalar(Api, "SELECT COUNT(*) FROM pp_reports WHERE year = 2026"), Is.Zero, "nothing refused was written");
    }

    [Test]
    public async Task POL_2_a_synthesis_speaking_of_requisitions_and_ordonnances_penales_is_delivered_and_members_read_it()
    {
        var report = await world.ReportAsync(world.ProcureurA, 2024, "2026-11-10");
        var id = report.GetProperty("id").GetGuid();
        Assert.That(report.GetProperty("synthesisDueOn").GetString(), Is.EqualTo("2026-12-10"));
        Assert.That(PenalPolicyWorld.StatusOf(report, world.Ems), Is.EqualTo("pending"));
        JsonElement synthesis;
        using (var delivered = await world.DeliverAsync(world.ProcureurA, id, [world.Ems, world.Ccofsi]))
        {
            synthesis = await Json.ReadAsync(delivered, HttpStatusCode.Created);
        }
        Assert.Multiple(() =>
        {
            Assert.That(synthesis.GetProperty("text").GetString(), Is.EqualTo(PenalPolicyWorld.Synthesis), "the content-marker rule does not read a synthesis's text");
            Assert.That(synthesis.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("status").GetString()), Is.All.EqualTo("on-time"));
        });
        using (var read = await world.ProcureurA.Http.GetAsync($"/api/v1/penal-policy-reports/{id}"))
        {
            var after = await Json.ReadAsync(read, HttpStatusCode.OK);
            Assert.That(after.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("status").GetString()), Is.All.EqualTo("on-time"));
        }
        foreach (var (reader, instance) in new[] { (world.Police, world.Ccofsi), (world.ProcureurB, world.Ems), (world.Prefet, world.Ems) })
        {
            using var list = await reader.Http.GetAsync($"/api/v1/instances/{instance}/penal-policy-syntheses?year=2024");
            var items = (await Json.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items");
            Assert.That(items.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()), Does.Contain(synthesis.GetProperty("id").GetGuid()));
            Assert.That(items[0].GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("instanceId").GetGuid()), Is.EqualTo(new[] { instance }));
        }
        foreach (var (outsider, instance) in new[] { (world.Participant, world.Ems), (world.Stranger, world.Ems), (world.Police, world.Ems) })
        {
            using var list = await outsider.Http.GetAsync($"/api/v1/instances/{instance}/penal-policy-syntheses");
            await Json.ProblemAsync(list, HttpStatusCode.NotFound);
        }
        var recipients = Database.Query<string>(Api,
            $"SELECT recipients FROM aud_events WHERE action = 'penal-policy-synthesis.deliver' AND status = 201 AND related_resource_id = '{id}'").Single();
        Assert.Multiple(() =>
        {
            Assert.That(recipients, Does.Contain(world.Prefet.OrganisationId.ToString()).And.Contain(world.ProcureurB.OrganisationId.ToString())
                .And.Contain(world.Police.OrganisationId.ToString()), "every recipient in both instances is in the record");
            Assert.That(recipients, Does.Not.Contain(world.Participant.OrganisationId.ToString()), "a participant is a third party");
        });
        using (var again = await world.DeliverAsync(world.ProcureurA, id, [world.Ems]))
        {
            await Json.ProblemAsync(again, HttpStatusCode.Conflict);
        }
        using (var notDue = await world.DeliverAsync(world.ProcureurB, (await world.ReportAsync(world.ProcureurB, 2024, "2026-11-10")).GetProperty("id").GetGuid(), [world.Ccofsi]))
        {
            await Json.RuleViolationAsync(notDue, HttpStatusCode.UnprocessableEntity, "POL-2");
        }
        using (var notHis = await world.DeliverAsync(world.ProcureurB, id, [world.Ems]))
        {
            await Json.ProblemAsync(notHis, HttpStatusCode.NotFound);
        }
    }

    [Test]
    public async Task CONF_2_a_synthesis_attachment_that_is_a_procedure_document_or_cannot_be_read_is_refused_and_nothing_is_kept_a_mention_passes()
    {
        var id = (await world.ReportAsync(world.ProcureurB, 2023, "2026-11-12")).GetProperty("id").GetGuid();
        var before = Database.Scalar(Api, "SELECT COUNT(*) FROM pp_syntheses");
        var refused = new (object Attachment, string Why)[]
        {
            (ExchangeWorld.Attachment("pv.pdf", "application/pdf", "proces-verbal", Pdfs.WithPages("Note")), "declared as a procedure document"),
            (ExchangeWorld.Text("extrait.txt", "BULLETIN N°1 DU CASIER JUDICIAIRE"), "has the form of one"),
            (ExchangeWorld.Attachment("scan.png", "image/png", "statistics", Images.Png()), "cannot be read"),
            // What a hostile sender tries, knowing the text is not read: the procès-verbal hidden where a reader does not look.
            (ExchangeWorld.Attachment("annote.pdf", "application/pdf", "statistics", HostilePdfs.WithAnnotation("FreeText", string.Join(' ', HostilePdfs.Pv))),
                "a procès-verbal in an annotation"),
            (ExchangeWorld.Attachment("espace.pdf", "application/pdf", "statistics", HostilePdfs.LetterSpaced(4, HostilePdfs.Pv)), "letter-spaced"),
            (ExchangeWorld.Attachment("tourne.pdf", "application/pdf", "statistics", HostilePdfs.RotatedPage(HostilePdfs.Pv)), "on a rotated page"),
        };
        foreach (var (attachment, why) in refused)
        {
            using var response = await world.DeliverAsync(world.ProcureurB, id, [world.Ems], attachments: [attachment]);
            var problem = await ExchangeWorld.DeniedAsync(response, "CONF-2", "/problems/criminal-procedure-document");
            Assert.That(problem.GetProperty("violations")[0].GetProperty("attachments")[0].GetString(), Does.StartWith("attachments[0]"), why);
        }
        using (var disguised = await world.DeliverAsync(world.ProcureurB, id, [world.Ems],
                   attachments: [ExchangeWorld.Attachment("chiffres.png", "image/png", "statistics", HostilePdfs.Plain(HostilePdfs.Pv))]))
        {
            var problem = await Json.ProblemAsync(disguised, HttpStatusCode.BadRequest);
            Assert.That(problem.GetProperty("errors").TryGetProperty("attachments[0].contentBase64", out _), Is.True, "a PDF declared as an image is refused at the door");
        }
        Assert.That(Database.Scalar(Api, "SELECT COUNT(*) FROM pp_syntheses"), Is.EqualTo(before), "nothing refused was kept");
        // A mention is a synthesis's nature (POL-2): statistics of ordonnances pénales and réquisitions pass.
        var statistics = "Mesure;Nombre\nOrdonnances pénales délictuelles;1204\nCopies de commission rogatoire reçues;12\nMédiation;37\n";
        JsonElement synthesis;
        using (var delivered = await world.DeliverAsync(world.ProcureurB, id, [world.Ems], attachments: [ExchangeWorld.Text("chiffres.csv", statistics, "statistics")]))
        {
            synthesis = await Json.ReadAsync(delivered, HttpStatusCode.Created);
        }
        using var download = await world.Prefet.Http.GetAsync($"/api/v1/instances/{world.Ems}/penal-policy-syntheses/{synthesis.GetProperty("id").GetGuid()}/attachments/0");
        Assert.Multiple(async () =>
        {
            Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await download.Content.ReadAsStringAsync(), Is.EqualTo(statistics));
            Assert.That(download.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(download.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        });
        using var stranger = await world.Police.Http.GetAsync($"/api/v1/instances/{world.Ems}/penal-policy-syntheses/{synthesis.GetProperty("id").GetGuid()}/attachments/0");
        await Json.ProblemAsync(stranger, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task CONF_3_and_CONF_4_no_synthesis_without_a_rules_in_force_acknowledged_by_its_sender_and_only_those_who_acknowledged_receive_it()
    {
        var code = TestApi.FreshDepartement();
        var prefet = await Api.ActorAsync("prefet", code, PenalPolicyWorld.Scopes);
        var procureur = await Api.ActorAsync("procureur", code, PenalPolicyWorld.Scopes);
        var d = new Departement(code, prefet, procureur);
        var ems = await d.EmsAsync();
        var ccofsi = await d.CcofsiAsync("Gare");
        var report = (await world.ReportAsync(procureur, 2025, "2026-11-02")).GetProperty("id").GetGuid();
        using (var noRules = await world.DeliverAsync(procureur, report, [ems]))
        {
            await ExchangeWorld.DeniedAsync(noRules, "CONF-3", "/problems/no-internal-rules");
        }
        await ExchangeWorld.RecordRulesAsync(prefet, code);
        using (var notAcknowledged = await world.DeliverAsync(procureur, report, [ems]))
        {
            await ExchangeWorld.DeniedAsync(notAcknowledged, "CONF-4", "/problems/internal-rules-not-acknowledged");
        }
        using (var ack = await procureur.Http.PostAsync($"/api/v1/instances/{ems}/internal-rules/current/acknowledgements", null))
        {
            await Json.ReadAsync(ack, HttpStatusCode.Created);
        }
        // Allowed in the EMS, refused in the CCOFSI (not acknowledged there): one request, so nothing is delivered anywhere.
        using (var half = await world.DeliverAsync(procureur, report, [ems, ccofsi]))
        {
            await ExchangeWorld.DeniedAsync(half, "CONF-4", "/problems/internal-rules-not-acknowledged");
        }
        Assert.That(Database.Scalar(Api, $"SELECT COUNT(*) FROM pp_synthesis_deliveries WHERE report_id = '{report}'"), Is.Zero, "all the instances, or none");
        Assert.That(PenalPolicyWorld.StatusOf(await ReadReportAsync(procureur, report), ems), Is.EqualTo("pending"));
        using (var delivered = await world.DeliverAsync(procureur, report, [ems]))
        {
            await Json.ReadAsync(delivered, HttpStatusCode.Created);
        }
        var recipients = Database.Query<string?>(Api,
            $"SELECT recipients FROM aud_events WHERE action = 'penal-policy-synthesis.deliver' AND status = 201 AND related_resource_id = '{report}'").Single();
        Assert.That(recipients ?? "", Does.Not.Contain(prefet.OrganisationId.ToString()), "the préfet has not acknowledged the règlement: he receives nothing");
        using (var read = await prefet.Http.GetAsync($"/api/v1/instances/{ems}/penal-policy-syntheses"))
        {
            await Json.RuleViolationAsync(read, HttpStatusCode.Forbidden, "CONF-4");
        }
        using (var status = await prefet.Http.GetAsync($"/api/v1/instances/{ems}/penal-policy/status"))
        {
            await Json.RuleViolationAsync(status, HttpStatusCode.Forbidden, "CONF-4");
        }
        using (var ack = await prefet.Http.PostAsync($"/api/v1/instances/{ems}/internal-rules/current/acknowledgements", null))
        {
            await Json.ReadAsync(ack, HttpStatusCode.Created);
        }
        using (var read = await prefet.Http.GetAsync($"/api/v1/instances/{ems}/penal-policy-syntheses"))
        {
            Assert.That((await Json.ReadAsync(read, HttpStatusCode.OK)).GetProperty("items").GetArrayLength(), Is.EqualTo(1), "once acknowledged, he reads it");
        }
    }

    [Test]
    public async Task OPN_1_the_catalogue_is_versioned_by_date()
    {
        async Task<string[]> On(string day)
        {
            using var response = await world.Police.Http.GetAsync($"/api/v1/penal-policy/measures?on={day}");
            var catalogue = await Json.ReadAsync(response, HttpStatusCode.OK);
            Assert.That(catalogue.GetProperty("catalogueVersion").GetString(), Is.Not.Empty);
            return catalogue.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("code").GetString()!).ToArray();
        }
        var in2021 = await On("2021-06-01");
        var in2022 = await On("2022-12-31");
        var in2023 = await On("2023-01-01");
        Assert.Multiple(() =>
        {
            Assert.That(in2022, Does.Contain("rappel-a-la-loi").And.Not.Contain("avertissement-penal-probatoire"));
            Assert.That(in2023, Does.Contain("avertissement-penal-probatoire").And.Not.Contain("rappel-a-la-loi"));
            Assert.That(in2021, Does.Not.Contain("contribution-citoyenne"));
            Assert.That(in2022, Does.Contain("contribution-citoyenne"));
            Assert.That(in2023, Does.Contain("mediation").And.Contain("reparation").And.Contain("interdiction-contact-victime").And.Contain("eloignement-du-domicile"));
        });
        using var bad = await world.Police.Http.GetAsync("/api/v1/penal-policy/measures?on=31/12/2022");
        Assert.That((await Json.ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("on", out _), Is.True);
    }

    [Test]
    public async Task OPN_1_an_opinion_is_adopted_in_a_held_meeting_on_a_measure_in_force_during_its_period()
    {
        var meeting = await world.MeetingAsync(world.Ccofsi, "2026-09-15");
        var later = await world.MeetingAsync(world.Ccofsi, "2026-10-20");
        object Opinion(string measure, string from, string to, Guid? meetingId) =>
            new { measure, periodFrom = from, periodTo = to, opinion = "Mise en œuvre satisfaisante ; délais d'orientation à réduire.", meetingId };
        Guid first;
        using (var accepted = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions",
                   Opinion("rappel-a-la-loi", "2022-07-01", "2023-06-30", later)))
        {
            var opinion = await Json.ReadAsync(accepted, HttpStatusCode.Created);
            first = opinion.GetProperty("id").GetGuid();
            Assert.That(opinion.GetProperty("adoptedOn").GetString(), Is.EqualTo("2026-10-20"));
        }
        Guid second;
        using (var accepted = await world.ProcureurA.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions",
                   Opinion("avertissement-penal-probatoire", "2025-01-01", "2025-12-31", meeting)))
        {
            second = (await Json.ReadAsync(accepted, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }
        using (var repealed = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions",
                   Opinion("rappel-a-la-loi", "2024-01-01", "2024-12-31", meeting)))
        {
            var problem = await Json.RuleViolationAsync(repealed, HttpStatusCode.UnprocessableEntity, "OPN-1");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("2022-12-31"));
        }
        using (var noMeeting = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions",
                   Opinion("mediation", "2025-01-01", "2025-12-31", null)))
        {
            await Json.RuleViolationAsync(noMeeting, HttpStatusCode.UnprocessableEntity, "OPN-1");
        }
        var emsMeeting = await world.MeetingAsync(world.Ems, "2026-09-16");
        using (var otherInstance = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions",
                   Opinion("mediation", "2025-01-01", "2025-12-31", emsMeeting)))
        {
            await Json.RuleViolationAsync(otherInstance, HttpStatusCode.UnprocessableEntity, "OPN-1");
        }
        using (var police = await world.Police.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions",
                   Opinion("mediation", "2025-01-01", "2025-12-31", meeting)))
        {
            await Json.RuleViolationAsync(police, HttpStatusCode.Forbidden, "OPN-1");
        }
        using (var stranger = await world.Stranger.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions",
                   Opinion("mediation", "2025-01-01", "2025-12-31", meeting)))
        {
            await Json.ProblemAsync(stranger, HttpStatusCode.NotFound);
        }
        using (var unknown = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions",
                   Opinion("composition-penale", "2025-01-01", "2025-12-31", meeting)))
        {
            Assert.That((await Json.ProblemAsync(unknown, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("measure", out _), Is.True);
        }
        using (var person = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions", new
               {
                   measure = "mediation", periodFrom = "2025-01-01", periodTo = "2025-12-31", opinion = "Avis", meetingId = meeting, person = new { lastName = "Martin" },
               }))
        {
            await Json.ProblemAsync(person, HttpStatusCode.BadRequest);
        }
        using (var listed = await world.Police.Http.GetAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions?year=2026"))
        {
            var ids = (await Json.ReadAsync(listed, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
            Assert.That(ids, Is.EqualTo(new[] { second, first }), "in the order of the meetings that adopted them");
        }
        using (var otherYear = await world.Police.Http.GetAsync($"/api/v1/instances/{world.Ccofsi}/alternative-measure-opinions?year=2025"))
        {
            Assert.That((await Json.ReadAsync(otherYear, HttpStatusCode.OK)).GetProperty("items").GetArrayLength(), Is.Zero, "by the year of adoption");
        }
        using (var participant = await world.Participant.Http.GetAsync($"/api/v1/instances/{world.Ems}/alternative-measure-opinions"))
        {
            await Json.ProblemAsync(participant, HttpStatusCode.NotFound);
        }
    }

    [Test]
    public async Task POL_1_POL_2_the_overview_is_for_administrators_and_the_co_chairs_of_the_departement_in_json_and_csv()
    {
        await world.ReportAsync(world.ProcureurA, 2022, "2026-11-03");
        var admin = await Api.AdminAsync();
        using (var all = await admin.GetAsync($"/api/v1/reports/penal-policy?year=2026&departement={world.Departement}"))
        {
            var overview = await Json.ReadAsync(all, HttpStatusCode.OK);
            var lines = overview.GetProperty("lines").EnumerateArray().ToList();
            Assert.That(lines.Select(l => (l.GetProperty("instanceId").GetGuid(), l.GetProperty("procureurOrganisationId").GetGuid())),
                Is.EquivalentTo(new[] { (world.Ems, world.ProcureurA.OrganisationId), (world.Ems, world.ProcureurB.OrganisationId), (world.Ccofsi, world.ProcureurA.OrganisationId) }));
        }
        foreach (var concerned in new[] { world.Prefet, world.ProcureurB })
        {
            using var own = await concerned.Http.GetAsync("/api/v1/reports/penal-policy?year=2026");
            Assert.That((await Json.ReadAsync(own, HttpStatusCode.OK)).GetProperty("lines").GetArrayLength(), Is.EqualTo(3));
        }
        using (var police = await world.Police.Http.GetAsync("/api/v1/reports/penal-policy"))
        {
            await Json.ProblemAsync(police, HttpStatusCode.Forbidden);
        }
        using (var stranger = await world.Stranger.Http.GetAsync($"/api/v1/reports/penal-policy?departement={world.Departement}"))
        {
            await Json.ProblemAsync(stranger, HttpStatusCode.Forbidden);
        }
        using (var bad = await world.Prefet.Http.GetAsync("/api/v1/reports/penal-policy?departement=ZZ"))
        {
            await Json.ProblemAsync(bad, HttpStatusCode.BadRequest);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/penal-policy?year=2026");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var csv = await world.Prefet.Http.SendAsync(request);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(csv.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
            Assert.That(rows[0], Does.StartWith("year,departement,instanceId,instanceKind,instanceName,procureurOrganisationId,briefingStatus"));
            Assert.That(rows, Has.Length.EqualTo(4));
            Assert.That(rows.Skip(1), Has.Some.Contains($"{world.Ccofsi},ccofsi,"));
        });
    }

    [Test]
    public async Task The_overview_csv_neutralises_a_name_a_spreadsheet_would_run_as_a_formula()
    {
        var code = TestApi.FreshDepartement();
        var prefet = await Api.ActorAsync("prefet", code, PenalPolicyWorld.Scopes);
        var procureur = await Api.ActorAsync("procureur", code, PenalPolicyWorld.Scopes);
        using (var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
               {
                   kind = "ems", departement = code, name = "=HYPERLINK(\"http://x\",\"EMS\")", prefetOrganisationId = prefet.OrganisationId,
                   procureurOrganisationId = procureur.OrganisationId,
               }))
        {
            await Json.ReadAsync(created, HttpStatusCode.Created);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/penal-policy");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var csv = await prefet.Http.SendAsync(request);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain(",\"'=HYPERLINK(\"\"http://x\"\",\"\"EMS\"\")\",").And.Not.Contain(",=HYPERLINK"));
    }

    [Test]
    public async Task Every_penal_policy_route_answers_a_stranger_404_an_anonymous_caller_401_and_a_client_without_the_scope_403()
    {
        var report = (await world.ReportAsync(world.ProcureurA, 2021, "2026-11-04")).GetProperty("id").GetGuid();
        Guid synthesis;
        using (var delivered = await world.DeliverAsync(world.ProcureurA, report, [world.Ems], attachments: [ExchangeWorld.Text("chiffres.txt", "Médiation : 37")]))
        {
            synthesis = (await Json.ReadAsync(delivered, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }
        var meeting = await world.MeetingAsync(world.Ems, "2026-11-05");
        (HttpMethod Method, string Path, object? Body)[] objectRoutes =
        [
            (HttpMethod.Post, $"/api/v1/instances/{world.Ems}/penal-policy-briefings", Briefing()),
            (HttpMethod.Get, $"/api/v1/instances/{world.Ems}/penal-policy/status", null),
            (HttpMethod.Get, $"/api/v1/penal-policy-reports/{report}", null),
            (HttpMethod.Post, $"/api/v1/penal-policy-reports/{report}/syntheses", new { instanceIds = new[] { world.Ccofsi }, text = "Synthèse" }),
            (HttpMethod.Get, $"/api/v1/instances/{world.Ems}/penal-policy-syntheses", null),
            (HttpMethod.Get, $"/api/v1/instances/{world.Ems}/penal-policy-syntheses/{synthesis}/attachments/0", null),
            (HttpMethod.Post, $"/api/v1/instances/{world.Ems}/alternative-measure-opinions",
                new { measure = "mediation", periodFrom = "2025-01-01", periodTo = "2025-12-31", opinion = "Avis", meetingId = meeting }),
            (HttpMethod.Get, $"/api/v1/instances/{world.Ems}/alternative-measure-opinions", null),
        ];
        (HttpMethod Method, string Path, object? Body)[] openRoutes =
        [
            (HttpMethod.Post, "/api/v1/penal-policy-reports", new { year = 2020, communicatedToProcureurGeneralOn = "2026-01-05" }),
            (HttpMethod.Get, "/api/v1/penal-policy-reports", null),
            (HttpMethod.Get, "/api/v1/penal-policy/measures", null),
            (HttpMethod.Get, "/api/v1/reports/penal-policy", null),
        ];
        var strangerRefusals = Database.Scalar(Api, $"SELECT COUNT(*) FROM aud_events WHERE client_id = '{world.Stranger.ClientId}' AND status = 404");
        var writes = Database.Scalar(Api, "SELECT (SELECT COUNT(*) FROM pp_briefings) + (SELECT COUNT(*) FROM pp_synthesis_deliveries) + (SELECT COUNT(*) FROM pp_opinions)");
        var anonymous = Api.Anonymous();
        var noScope = await Api.ActorAsync("procureur", world.Departement, "governance", "exchange");
        foreach (var (method, path, body) in objectRoutes.Concat(openRoutes))
        {
            HttpRequestMessage Request() => new(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (objectRoutes.Any(r => r.Path == path && r.Method == method))
            {
                using var request = Request();
                using var response = await world.Stranger.Http.SendAsync(request);
                var problem = await Json.ProblemAsync(response, HttpStatusCode.NotFound);
                Assert.That(problem.ToString(), Does.Not.Contain("Médiation").And.Not.Contain("Synthèse"), $"{method} {path}");
            }
            using (var request = Request())
            using (var response = await anonymous.SendAsync(request))
            {
                await Json.ProblemAsync(response, HttpStatusCode.Unauthorized);
            }
            using (var request = Request())
            using (var response = await noScope.Http.SendAsync(request))
            {
                await Json.ProblemAsync(response, HttpStatusCode.Forbidden);
            }
        }
        Assert.That(Database.Scalar(Api, "SELECT (SELECT COUNT(*) FROM pp_briefings) + (SELECT COUNT(*) FROM pp_synthesis_deliveries) + (SELECT COUNT(*) FROM pp_opinions)"),
            Is.EqualTo(writes), "nothing the stranger sent took effect");
        Assert.That(Database.Scalar(Api, $"SELECT COUNT(*) FROM aud_events WHERE client_id = '{world.Stranger.ClientId}' AND status = 404") - strangerRefusals,
            Is.EqualTo(objectRoutes.Length), "each refusal of the stranger is in the access log");
    }
}
