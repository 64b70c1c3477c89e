using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.FollowUp;

/// <summary>
/// The follow-up of designated persons, role by role (DES-1..5, FLOW-1, FLOW-2, CONF-1, CONF-2, LOG-1): who designates,
/// who sees what, who records what, and what the judicial side can never do.
/// </summary>
public sealed class FollowUpTests(DatabaseProvider provider) : ApiTest(provider)
{
    private FollowUpWorld world = null!;
    private static int people;

    [OneTimeSetUp]
    public async Task CreateWorld() => world = await FollowUpWorld.CreateAsync(Api);

    /// <summary>A person no other test designates (the same person twice is a 409).</summary>
    private static string Someone() => $"Personne{Interlocked.Increment(ref people)}";

    private async Task<JsonElement> DesignatedAsync(string? lastName = null) => await world.DesignateAsync(FollowUpWorld.Body(lastName ?? Someone()));

    private static async Task<JsonElement> GetAsync(Actor actor, Guid designation, HttpStatusCode expected)
    {
        using var response = await actor.Http.GetAsync($"/api/v1/designations/{designation}");
        return expected == HttpStatusCode.OK ? await Json.ReadAsync(response, expected) : await Json.ProblemAsync(response, expected);
    }

    [Test]
    public async Task DES_1_only_a_procureur_co_chair_designates_others_are_refused_and_strangers_learn_nothing()
    {
        var path = $"/api/v1/instances/{world.Instance}/designations";
        foreach (var member in new[] { world.Prefet, world.Police })
        {
            using var refused = await member.Http.PostAsJsonAsync(path, FollowUpWorld.Body(Someone()));
            await Json.RuleViolationAsync(refused, HttpStatusCode.Forbidden, "DES-1");
        }
        foreach (var outsider in new[] { world.Stranger, world.Mairie, world.Guest })
        {
            using var unknown = await outsider.Http.PostAsJsonAsync(path, FollowUpWorld.Body(Someone()));
            await Json.ProblemAsync(unknown, HttpStatusCode.NotFound);
        }
        var designation = await DesignatedAsync();
        Assert.Multiple(() =>
        {
            Assert.That(designation.GetProperty("status").GetString(), Is.EqualTo("active"), "released on 2026-11-02, before today");
            Assert.That(designation.GetProperty("obligations").GetArrayLength(), Is.EqualTo(2));
            Assert.That(designation.GetProperty("japOpinion").GetProperty("favourable").GetBoolean(), Is.True);
            Assert.That(designation.GetProperty("reviewDueOn").GetString(), Is.EqualTo("2027-05-16"), "six months after today (DES-6)");
        });
    }

    [Test]
    public async Task DES_2_without_a_favourable_opinion_nothing_about_the_person_is_stored_nor_logged()
    {
        var name = "Introuvable" + Someone();
        var before = Database.Scalar(Api, "SELECT COUNT(*) FROM fu_designations");
        var path = $"/api/v1/instances/{world.Instance}/designations";
        object[] opinions =
        [
            new { favourable = false, givenOn = "2026-10-20", judgeCapacity = "jap", reference = "JAP-1" },
            new { favourable = true, givenOn = "2026-12-20", judgeCapacity = "juge-des-enfants", reference = "JE-1" },
        ];
        foreach (var opinion in opinions)
        {
            using var refused = await world.Procureur.Http.PostAsJsonAsync(path, FollowUpWorld.Body(name, japOpinion: opinion));
            await Json.RuleViolationAsync(refused, HttpStatusCode.UnprocessableEntity, "DES-2");
        }
        using (var missing = await world.Procureur.Http.PostAsJsonAsync(path, new
               {
                   person = new { lastName = name, firstNames = "Paul", birthDate = "1990-01-01" }, releasedOn = "2026-11-02",
                   obligations = new[] { new { kind = "obligation", description = "Soins", imposedBy = "jap", decisionDate = "2026-10-01", from = "2026-11-02" } },
               }))
        {
            await Json.RuleViolationAsync(missing, HttpStatusCode.UnprocessableEntity, "DES-2");
        }
        Assert.Multiple(() =>
        {
            Assert.That(Database.Scalar(Api, "SELECT COUNT(*) FROM fu_designations"), Is.EqualTo(before), "nothing stored");
            Assert.That(NamedInLog(name), Is.Zero, "the refusals' records hold no name");
            Assert.That(Database.Scalar(Api, "SELECT COUNT(*) FROM aud_events WHERE action = 'designation.create' AND rule_id = 'DES-2'"), Is.GreaterThanOrEqualTo(3));
        });
    }

    private long NamedInLog(string text) => Database.Scalar(Api,
        $"SELECT COUNT(*) FROM aud_events WHERE resource_id LIKE '%{text}%' OR route LIKE '%{text}%' OR justification LIKE '%{text}%' " +
        $"OR recipients LIKE '%{text}%' OR on_behalf_of LIKE '%{text}%' OR action LIKE '%{text}%'");

    [Test]
    public async Task DES_3_at_least_one_obligation_and_DES_4_no_other_field()
    {
        var path = $"/api/v1/instances/{world.Instance}/designations";
        using (var none = await world.Procureur.Http.PostAsJsonAsync(path, new
               {
                   person = new { lastName = Someone(), firstNames = "Paul", birthDate = "1990-01-01" }, releasedOn = "2026-11-02",
                   japOpinion = new { favourable = true, givenOn = "2026-10-20", judgeCapacity = "jap", reference = "JAP-2" }, obligations = Array.Empty<object>(),
               }))
        {
            await Json.RuleViolationAsync(none, HttpStatusCode.UnprocessableEntity, "DES-3");
        }
        foreach (var extra in new[] { "notes", "address", "assessment" })
        {
            var body = JsonSerializer.SerializeToNode(FollowUpWorld.Body(Someone()))!.AsObject();
            body[extra] = "Situation familiale difficile";
            using var refused = await world.Procureur.Http.PostAsJsonAsync(path, body);
            var problem = await Json.ProblemAsync(refused, HttpStatusCode.BadRequest);
            Assert.That(problem.ToString(), Does.Contain(extra), "the field at fault is named");
        }
        var nested = JsonSerializer.SerializeToNode(FollowUpWorld.Body(Someone()))!.AsObject();
        nested["person"]!.AsObject()["address"] = "12 rue de la Paix";
        using var nestedRefused = await world.Procureur.Http.PostAsJsonAsync(path, nested);
        await Json.ProblemAsync(nestedRefused, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task The_same_person_under_an_open_designation_is_a_conflict_recognised_by_a_keyed_hash()
    {
        var name = Someone();
        await world.DesignateAsync(FollowUpWorld.Body(name, firstNames: "Jean-Paul"));
        using var again = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/designations",
            FollowUpWorld.Body(name.ToUpperInvariant(), firstNames: "jean paul"));
        await Json.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.That(Database.Scalar(Api, $"SELECT COUNT(*) FROM fu_designations WHERE person_key LIKE '%{name}%'"), Is.Zero, "the key is a hash, not the name");
    }

    [Test]
    public async Task DES_5_each_assigned_service_sees_only_its_own_obligations_and_anyone_else_gets_404()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        var (prohibition, signing) = (FollowUpWorld.ObligationId(designation, 0), FollowUpWorld.ObligationId(designation, 1));
        await world.AssignAsync(id, world.Police, signing);
        await world.AssignAsync(id, world.Mairie, prohibition);

        var police = await GetAsync(world.Police, id, HttpStatusCode.OK);
        var mairie = await GetAsync(world.Mairie, id, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(police.GetProperty("obligations").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()), Is.EqualTo(new[] { signing }));
            Assert.That(mairie.GetProperty("obligations").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()), Is.EqualTo(new[] { prohibition }));
            Assert.That(police.GetProperty("person").GetProperty("lastName").GetString(), Is.EqualTo(designation.GetProperty("person").GetProperty("lastName").GetString()));
            foreach (var hidden in new[] { "japOpinion", "assignments", "events", "reviews", "instanceId" })
            {
                Assert.That(police.TryGetProperty(hidden, out _), Is.False, $"an assigned service does not see {hidden}");
            }
        });
        var coChairView = await GetAsync(world.Prefet, id, HttpStatusCode.OK);
        Assert.That(coChairView.GetProperty("assignments").EnumerateArray().Select(a => a.GetProperty("organisationId").GetGuid()),
            Is.EquivalentTo(new[] { world.Police.OrganisationId, world.Mairie.OrganisationId }));
        foreach (var other in new[] { world.Gendarmerie, world.Association, world.Guest, world.Stranger, world.Jap, world.Spip })
        {
            await GetAsync(other, id, HttpStatusCode.NotFound);
        }
        var auditor = await Api.ActorAsync("auditeur", null, "audit");
        using (var audited = await auditor.Http.GetAsync($"/api/v1/designations/{id}"))
        {
            await Json.ProblemAsync(audited, HttpStatusCode.Forbidden);
        }
        using (var admin = await (await Api.AdminAsync()).GetAsync($"/api/v1/designations/{id}"))
        {
            await Json.ProblemAsync(admin, HttpStatusCode.Forbidden);
        }
    }

    [Test]
    public async Task DES_5_the_judicial_side_auditors_administrators_co_chairs_and_services_of_another_departement_are_never_assigned()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        var auditor = await Api.ActorAsync("auditeur", null, "audit");
        foreach (var organisation in new[] { world.Jap.OrganisationId, world.Spip.OrganisationId, auditor.OrganisationId, world.Procureur.OrganisationId,
                     world.Stranger.OrganisationId, world.Guest.OrganisationId })
        {
            using var refused = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/designations/{id}/assignments",
                new { organisationId = organisation, obligationIds = new[] { FollowUpWorld.ObligationId(designation, 0) }, modality = "Suivi" });
            await Json.RuleViolationAsync(refused, HttpStatusCode.UnprocessableEntity, "DES-5");
        }
        using (var byMember = await world.Police.Http.PostAsJsonAsync($"/api/v1/designations/{id}/assignments",
                   new { organisationId = world.Association.OrganisationId, obligationIds = new[] { FollowUpWorld.ObligationId(designation, 0) }, modality = "Suivi" }))
        {
            await Json.ProblemAsync(byMember, HttpStatusCode.NotFound);
        }
        var association = await world.AssignAsync(id, world.Association, FollowUpWorld.ObligationId(designation, 0));
        Assert.That(association, Is.Not.EqualTo(Guid.Empty), "an association, not a member, is assigned");
    }

    [Test]
    public async Task CONF_1_a_removed_service_is_a_third_party_at_once_also_for_what_it_saw_before()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        var obligation = FollowUpWorld.ObligationId(designation, 1);
        var assignment = await world.AssignAsync(id, world.Police, obligation);
        using (var observed = await world.ObserveAsync(world.Police, id, obligation))
        {
            await Json.ReadAsync(observed, HttpStatusCode.Created);
        }
        using var sent = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/exchanges", new
        {
            subject = "Consignes", body = "Contrôles renforcés le lundi", recipientOrganisationIds = new[] { world.Police.OrganisationId }, designationId = id,
        });
        var exchange = (await Json.ReadAsync(sent, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using (var read = await world.Police.Http.GetAsync($"/api/v1/exchanges/{exchange}"))
        {
            Assert.That((await Json.ReadAsync(read, HttpStatusCode.OK)).GetProperty("designationId").GetGuid(), Is.EqualTo(id));
        }

        using (var removal = await world.Prefet.Http.DeleteAsync($"/api/v1/designations/{id}/assignments/{assignment}"))
        {
            Assert.That(removal.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        await GetAsync(world.Police, id, HttpStatusCode.NotFound);
        using (var readAfter = await world.Police.Http.GetAsync($"/api/v1/exchanges/{exchange}"))
        {
            await Json.ProblemAsync(readAfter, HttpStatusCode.NotFound);
        }
        using (var listed = await world.Police.Http.GetAsync($"/api/v1/instances/{world.Instance}/exchanges"))
        {
            var items = (await Json.ReadAsync(listed, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid());
            Assert.That(items, Does.Not.Contain(exchange), "nor in its list");
        }
        using var observeAfter = await world.ObserveAsync(world.Police, id, obligation);
        await Json.ProblemAsync(observeAfter, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task CONF_1_an_exchange_about_a_designation_goes_only_to_its_circle()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        await world.AssignAsync(id, world.Mairie, FollowUpWorld.ObligationId(designation, 0));
        using (var toMember = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/exchanges", new
               {
                   subject = "Point", body = "Situation", recipientOrganisationIds = new[] { world.Gendarmerie.OrganisationId }, designationId = id,
               }))
        {
            var problem = await ExchangeWorld.DeniedAsync(toMember, "CONF-1", "/problems/third-party-recipient");
            Assert.That(problem.GetProperty("violations")[0].GetProperty("recipients")[0].GetGuid(), Is.EqualTo(world.Gendarmerie.OrganisationId));
        }
        using (var byMember = await world.Gendarmerie.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/exchanges", new
               {
                   subject = "Point", body = "Situation", recipientOrganisationIds = new[] { world.Procureur.OrganisationId }, designationId = id,
               }))
        {
            await Json.ProblemAsync(byMember, HttpStatusCode.NotFound);
        }
        using var toAssigned = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/exchanges", new
        {
            subject = "Point", body = "Situation", recipientOrganisationIds = new[] { world.Mairie.OrganisationId }, designationId = id,
        });
        await Json.ReadAsync(toAssigned, HttpStatusCode.Created);
    }

    [Test]
    public async Task FLOW_1_the_JAP_and_the_SPIP_send_nothing_even_with_the_scopes_and_not_being_members()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        var obligation = FollowUpWorld.ObligationId(designation, 0);
        foreach (var judicial in new[] { world.Jap, world.Spip })
        {
            var attempts = new List<HttpResponseMessage>
            {
                await judicial.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/designations", FollowUpWorld.Body(Someone())),
                await judicial.Http.PostAsJsonAsync($"/api/v1/designations/{id}/events",
                    new { type = "measure-revoked", occurredOn = "2026-11-10", source = "jap", reference = "R-1" }),
                await world.ObserveAsync(judicial, id, obligation, "breach-suspected", "Absent"),
                await judicial.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/follow-up-reports",
                    new { periodFrom = "2026-10-01", periodTo = "2026-10-31", text = "Bilan" }),
            };
            foreach (var attempt in attempts)
            {
                var problem = await Json.RuleViolationAsync(attempt, HttpStatusCode.Forbidden, "FLOW-1");
                Assert.That(problem.GetProperty("legalBasis").GetString(), Does.Contain("2016-569 QPC"));
                attempt.Dispose();
            }
            using var exchange = await judicial.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/exchanges", new
            {
                subject = "Incident", body = "Le condamné ne s'est pas présenté", recipientOrganisationIds = new[] { world.Procureur.OrganisationId }, designationId = id,
            });
            await ExchangeWorld.DeniedAsync(exchange, "FLOW-1", "/problems/judicial-side");
            using var unnamed = await judicial.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/exchanges", new
            {
                subject = "Incident", body = "Le condamné ne s'est pas présenté", recipientOrganisationIds = new[] { world.Procureur.OrganisationId },
            });
            await ExchangeWorld.DeniedAsync(unnamed, "FLOW-1", "/problems/judicial-side");
        }
        Assert.That(Database.Scalar(Api, "SELECT COUNT(*) FROM aud_events WHERE rule_id = 'FLOW-1'"), Is.GreaterThanOrEqualTo(10), "each refusal recorded with its rule");
    }

    [Test]
    public async Task FLOW_1_events_are_a_closed_list_recorded_by_the_procureur_with_their_effect_on_the_status()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        var path = $"/api/v1/designations/{id}/events";
        using (var byPrefet = await world.Prefet.Http.PostAsJsonAsync(path, new { type = "returned-to-detention", occurredOn = "2026-11-10", source = "jap", reference = "R" }))
        {
            await Json.RuleViolationAsync(byPrefet, HttpStatusCode.Forbidden, "DES-1");
        }
        using (var freeText = await world.Procureur.Http.PostAsJsonAsync(path,
                   new { type = "returned-to-detention", occurredOn = "2026-11-10", source = "jap", reference = "R", details = "Incarcéré après une bagarre" }))
        {
            await Json.ProblemAsync(freeText, HttpStatusCode.BadRequest);
        }
        using (var unknownType = await world.Procureur.Http.PostAsJsonAsync(path, new { type = "personality-report", occurredOn = "2026-11-10", source = "spip", reference = "R" }))
        {
            await Json.ProblemAsync(unknownType, HttpStatusCode.BadRequest);
        }
        async Task<string> StatusAfter(string type)
        {
            using var recorded = await world.Procureur.Http.PostAsJsonAsync(path, new { type, occurredOn = "2026-11-10", source = "spip", reference = "SPIP-7" });
            await Json.ReadAsync(recorded, HttpStatusCode.Created);
            return (await GetAsync(world.Procureur, id, HttpStatusCode.OK)).GetProperty("status").GetString()!;
        }
        Assert.That(await StatusAfter("returned-to-detention"), Is.EqualTo("suspended"));
        Assert.That(await StatusAfter("released-again"), Is.EqualTo("active"));
        Assert.That(await StatusAfter("obligation-modified"), Is.EqualTo("active"));
        Assert.That(await StatusAfter("measure-revoked"), Is.EqualTo("closed"));
        var closed = await GetAsync(world.Procureur, id, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(closed.GetProperty("closureReason").GetString(), Is.EqualTo("revoked"));
            Assert.That(closed.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()),
                Is.EqualTo(new[] { "returned-to-detention", "released-again", "obligation-modified", "measure-revoked" }));
        });
        using var afterClosure = await world.Procureur.Http.PostAsJsonAsync(path, new { type = "released-again", occurredOn = "2026-11-10", source = "jap", reference = "R" });
        await Json.ProblemAsync(afterClosure, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task DES_1_a_modified_obligation_keeps_its_previous_version_and_is_an_event()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        var obligation = FollowUpWorld.ObligationId(designation, 1);
        var change = new { kind = "obligation", description = "Pointer au commissariat deux fois par semaine", imposedBy = "jap", decisionDate = "2026-11-12", from = "2026-11-16" };
        HttpRequestMessage Modify(string? ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/designations/{id}/obligations/{obligation}") { Content = JsonContent.Create(change) };
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
            return request;
        }
        var read = (await GetAsync(world.Procureur, id, HttpStatusCode.OK)).GetProperty("obligations").EnumerateArray()
            .Single(o => o.GetProperty("id").GetGuid() == obligation).GetProperty("eTag").GetString();
        using (var byPrefet = await world.Prefet.Http.SendAsync(Modify(read)))
        {
            await Json.RuleViolationAsync(byPrefet, HttpStatusCode.Forbidden, "DES-1");
        }
        using (var without = await world.Procureur.Http.SendAsync(Modify(null)))
        {
            await Json.ProblemAsync(without, HttpStatusCode.PreconditionRequired);
        }
        using (var modified = await world.Procureur.Http.SendAsync(Modify(read)))
        {
            Assert.That((await Json.ReadAsync(modified, HttpStatusCode.OK)).GetProperty("version").GetInt32(), Is.EqualTo(2));
            Assert.That(modified.Headers.ETag!.Tag, Is.EqualTo("\"v2\""));
        }
        using (var stale = await world.Procureur.Http.SendAsync(Modify(read)))
        {
            await Json.ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        }
        var view = await GetAsync(world.Procureur, id, HttpStatusCode.OK);
        var current = view.GetProperty("obligations").EnumerateArray().Single(o => o.GetProperty("id").GetGuid() == obligation);
        var previous = current.GetProperty("previousVersions")[0];
        Assert.Multiple(() =>
        {
            Assert.That(current.GetProperty("description").GetString(), Does.Contain("deux fois"));
            Assert.That(previous.GetProperty("description").GetString(), Is.EqualTo("Pointer au commissariat chaque lundi"));
            Assert.That(previous.GetProperty("decisionDate").GetString(), Is.EqualTo("2026-06-03"));
            Assert.That(view.GetProperty("events")[0].GetProperty("type").GetString(), Is.EqualTo("obligation-modified"));
            Assert.That(view.GetProperty("events")[0].GetProperty("source").GetString(), Is.EqualTo("jap"));
        });
    }

    [Test]
    public async Task FLOW_2_a_suspected_breach_is_an_incident_report_for_the_procureur_and_observations_pass_the_policy()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        var (prohibition, signing) = (FollowUpWorld.ObligationId(designation, 0), FollowUpWorld.ObligationId(designation, 1));
        await world.AssignAsync(id, world.Police, signing);
        using (var onAnother = await world.ObserveAsync(world.Police, id, prohibition))
        {
            await Json.RuleViolationAsync(onAnother, HttpStatusCode.Forbidden, "DES-5");
        }
        using (var piece = await world.ObserveAsync(world.Police, id, signing, "breach-suspected", "Procès-verbal d'audition n° 2026/123 joint : absent lundi"))
        {
            await Json.RuleViolationAsync(piece, HttpStatusCode.Forbidden, "CONF-2");
        }
        using (var mention = await world.ObserveAsync(world.Police, id, signing, "breach-suspected", "Absent lundi, voir le PV d'audition de mardi"))
        {
            await Json.RuleViolationAsync(mention, HttpStatusCode.Forbidden, "CONF-2");
        }
        Guid incident;
        using (var breach = await world.ObserveAsync(world.Police, id, signing, "breach-suspected", "Absent au pointage de lundi"))
        {
            incident = (await Json.ReadAsync(breach, HttpStatusCode.Created)).GetProperty("incidentReportId").GetGuid();
        }
        var reports = $"/api/v1/instances/{world.Instance}/incident-reports";
        using (var byPrefet = await world.Prefet.Http.GetAsync(reports))
        {
            await Json.RuleViolationAsync(byPrefet, HttpStatusCode.Forbidden, "DES-1");
        }
        using (var listed = await world.Procureur.Http.GetAsync(reports + "?open=true"))
        {
            var item = (await Json.ReadAsync(listed, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == incident);
            Assert.That(item.GetProperty("designationId").GetGuid(), Is.EqualTo(id));
            Assert.That(item.GetProperty("note").GetString(), Is.EqualTo("Absent au pointage de lundi"));
        }
        using (var acknowledged = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/incident-reports/{incident}/acknowledge", new { acknowledgedOn = "2026-11-16" }))
        {
            Assert.That((await Json.ReadAsync(acknowledged, HttpStatusCode.OK)).GetProperty("acknowledgedOn").GetString(), Is.EqualTo("2026-11-16"));
        }
        using (var open = await world.Procureur.Http.GetAsync(reports + "?open=true"))
        {
            Assert.That((await Json.ReadAsync(open, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()),
                Does.Not.Contain(incident));
        }
        var recorded = Database.Scalar(Api, $"SELECT COUNT(*) FROM aud_events WHERE action = 'designation.observe' AND status = 201 AND recipients LIKE '%{world.Procureur.OrganisationId}%'");
        Assert.That(recorded, Is.GreaterThanOrEqualTo(1), "an observation is a communication to the co-chairs");
    }

    [Test]
    public async Task FLOW_2_follow_up_reports_go_to_the_procureur_from_the_co_chairs_only()
    {
        var designation = await DesignatedAsync();
        var path = $"/api/v1/instances/{world.Instance}/follow-up-reports";
        var body = new { periodFrom = "2026-10-01", periodTo = "2026-10-31", text = "Trois suivis actifs, un manquement signalé.", designationIds = new[] { designation.GetProperty("id").GetGuid() } };
        using (var byMember = await world.Police.Http.PostAsJsonAsync(path, body))
        {
            await Json.RuleViolationAsync(byMember, HttpStatusCode.Forbidden, "FLOW-2");
        }
        Guid report;
        using (var sent = await world.Prefet.Http.PostAsJsonAsync(path, body))
        {
            var created = await Json.ReadAsync(sent, HttpStatusCode.Created);
            Assert.That(created.GetProperty("recipientOrganisationIds").EnumerateArray().Select(r => r.GetGuid()), Is.EqualTo(new[] { world.Procureur.OrganisationId }));
            report = created.GetProperty("id").GetGuid();
        }
        using (var listed = await world.Procureur.Http.GetAsync(path))
        {
            Assert.That((await Json.ReadAsync(listed, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()), Does.Contain(report));
        }
        using (var acknowledged = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/follow-up-reports/{report}/acknowledge", new { acknowledgedOn = "2026-11-16" }))
        {
            await Json.ReadAsync(acknowledged, HttpStatusCode.OK);
        }
        using var piece = await world.Prefet.Http.PostAsJsonAsync(path, body with { text = "Ci-joint copie du procès-verbal d'audition n° 2026/77 du 3 mars." });
        await Json.RuleViolationAsync(piece, HttpStatusCode.Forbidden, "CONF-2");
    }

    [Test]
    public async Task LOG_1_every_read_says_why_and_the_log_keeps_the_motif_and_ids_never_a_name()
    {
        var name = "Confidentiel" + Someone();
        var designation = await DesignatedAsync(name);
        var id = designation.GetProperty("id").GetGuid();
        foreach (var path in new[] { $"/api/v1/designations/{id}", $"/api/v1/instances/{world.Instance}/designations", $"/api/v1/instances/{world.Instance}/incident-reports" })
        {
            using var unjustified = await world.Procureur.Http.SendAsync(Motif.Without(HttpMethod.Get, path));
            var problem = await Json.ProblemAsync(unjustified, HttpStatusCode.BadRequest);
            Assert.That(problem.ToString(), Does.Contain("X-Justification"));
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/designations/{id}"))
        {
            request.Headers.Add(Motif.Header, "Préparation de la cellule du 20 novembre");
            using var read = await world.Procureur.Http.SendAsync(request);
            await Json.ReadAsync(read, HttpStatusCode.OK);
        }
        using (var listed = await world.Procureur.Http.GetAsync($"/api/v1/instances/{world.Instance}/designations"))
        {
            var items = (await Json.ReadAsync(listed, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
            Assert.That(items.Select(i => i.GetProperty("id").GetGuid()), Does.Contain(id));
        }
        var auditor = await Api.ActorAsync("auditeur", null, "audit");
        var byDesignation = await AuditLog.EventsAsync(auditor, $"&resourceId={id}");
        var related = await AuditLog.EventsAsync(auditor, $"&relatedResourceId={id}");
        Assert.Multiple(() =>
        {
            Assert.That(byDesignation.Any(e => e.GetProperty("action").GetString() == "designation.read"
                                               && e.GetProperty("justification").GetString() == "Préparation de la cellule du 20 novembre"), Is.True);
            Assert.That(byDesignation.Concat(related).Any(e => e.GetProperty("action").GetString() == "designation.create"), Is.True, "the creation, found by the designation's id");
            Assert.That(NamedInLog(name), Is.Zero, "no name anywhere in the log");
        });
    }

    [Test]
    public async Task DES_5_random_assignments_and_removals_never_let_an_organisation_read_what_it_is_not_assigned_to()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        var obligations = new[] { FollowUpWorld.ObligationId(designation, 0), FollowUpWorld.ObligationId(designation, 1) };
        var services = new[] { world.Police, world.Gendarmerie, world.Mairie, world.Association };
        var current = new Dictionary<Guid, (Guid Assignment, Guid[] Obligations)>();
        var random = new Random(20161569);
        for (var step = 0; step < 24; step++)
        {
            var service = services[random.Next(services.Length)];
            if (current.TryGetValue(service.OrganisationId, out var held) && random.Next(2) == 0)
            {
                using var removal = await world.Prefet.Http.DeleteAsync($"/api/v1/designations/{id}/assignments/{held.Assignment}");
                Assert.That(removal.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
                current.Remove(service.OrganisationId);
            }
            else if (!current.ContainsKey(service.OrganisationId))
            {
                var chosen = random.Next(3) switch { 0 => [obligations[0]], 1 => [obligations[1]], _ => obligations };
                current[service.OrganisationId] = (await world.AssignAsync(id, service, chosen), chosen);
            }
            foreach (var each in services)
            {
                using var response = await each.Http.GetAsync($"/api/v1/designations/{id}");
                if (current.TryGetValue(each.OrganisationId, out var assignment))
                {
                    var seen = await Json.ReadAsync(response, HttpStatusCode.OK);
                    Assert.That(seen.GetProperty("obligations").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()), Is.EquivalentTo(assignment.Obligations),
                        $"step {step}: {each.Code} sees its obligations only");
                }
                else
                {
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"step {step}: {each.Code} is not assigned");
                }
            }
        }
    }

    [Test]
    public async Task DES_5_a_participant_of_the_EMS_steering_meetings_sees_no_designation()
    {
        using var created = await world.Prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ems", departement = world.Departement, name = $"EMS {world.Departement}", prefetOrganisationId = world.Prefet.OrganisationId,
            procureurOrganisationIds = new[] { world.Procureur.OrganisationId },
        });
        var ems = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var ddfip = await Api.ActorAsync("finances-publiques", world.Departement, FollowUpWorld.Scopes);
        using (var participant = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/participants", new { organisationId = ddfip.OrganisationId }))
        {
            await Json.ReadAsync(participant, HttpStatusCode.Created);
        }
        using var designated = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/designations", FollowUpWorld.Body(Someone()));
        var id = (await Json.ReadAsync(designated, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await GetAsync(ddfip, id, HttpStatusCode.NotFound);
        using var listed = await ddfip.Http.GetAsync($"/api/v1/instances/{ems}/designations");
        await Json.ProblemAsync(listed, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task DATA_1_no_designation_is_stored_without_the_authorising_act()
    {
        using var api = new TestApi(new ApiFactory(Provider, new Dictionary<string, string?>
        {
            ["Processing:AuthorisingAct:Reference"] = "", ["Processing:AuthorisingAct:CnilDeliberation"] = "",
        }));
        var bare = await FollowUpWorld.CreateAsync(api);
        using var refused = await bare.Procureur.Http.PostAsJsonAsync($"/api/v1/instances/{bare.Instance}/designations", FollowUpWorld.Body(Someone()));
        await Json.RuleViolationAsync(refused, HttpStatusCode.Forbidden, "DATA-1");
        Assert.That(Database.Scalar(api, "SELECT COUNT(*) FROM fu_designations"), Is.Zero);
    }

    /// <summary>Every follow-up route, with a real designation's ids: a stranger gets 404, an anonymous caller 401 — never data.</summary>
    [Test]
    public async Task Every_follow_up_route_answers_a_stranger_404_and_an_anonymous_caller_401()
    {
        var designation = await DesignatedAsync();
        var id = designation.GetProperty("id").GetGuid();
        var obligation = FollowUpWorld.ObligationId(designation, 1);
        var assignment = await world.AssignAsync(id, world.Police, obligation);
        Guid incident;
        using (var breach = await world.ObserveAsync(world.Police, id, obligation, "breach-suspected", "Absent"))
        {
            incident = (await Json.ReadAsync(breach, HttpStatusCode.Created)).GetProperty("incidentReportId").GetGuid();
        }
        Guid report;
        using (var sent = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/follow-up-reports",
                   new { periodFrom = "2026-10-01", periodTo = "2026-10-31", text = "Bilan du mois" }))
        {
            report = (await Json.ReadAsync(sent, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }
        var obligationBody = new { kind = "obligation", description = "Soins", imposedBy = "jap", decisionDate = "2026-10-01", from = "2026-11-02" };
        (HttpMethod Method, string Path, object? Body)[] routes =
        [
            (HttpMethod.Get, $"/api/v1/instances/{world.Instance}/designations", null),
            (HttpMethod.Post, $"/api/v1/instances/{world.Instance}/designations", FollowUpWorld.Body(Someone())),
            (HttpMethod.Get, $"/api/v1/designations/{id}", null),
            (HttpMethod.Post, $"/api/v1/designations/{id}/obligations", obligationBody),
            (HttpMethod.Put, $"/api/v1/designations/{id}/obligations/{obligation}", obligationBody),
            (HttpMethod.Post, $"/api/v1/designations/{id}/assignments", new { organisationId = world.Stranger.OrganisationId, obligationIds = new[] { obligation }, modality = "Suivi" }),
            (HttpMethod.Delete, $"/api/v1/designations/{id}/assignments/{assignment}", null),
            (HttpMethod.Post, $"/api/v1/designations/{id}/observations", new { obligationId = obligation, observedOn = "2026-11-09", outcome = "respected", note = "Présent" }),
            (HttpMethod.Post, $"/api/v1/designations/{id}/events", new { type = "measure-ended", occurredOn = "2026-11-10", source = "jap", reference = "R" }),
            (HttpMethod.Post, $"/api/v1/designations/{id}/reviews", new { reviewedOn = "2026-11-16", decision = "close" }),
            (HttpMethod.Post, $"/api/v1/designations/{id}/close", new { closedOn = "2026-11-16", reason = "withdrawn" }),
            (HttpMethod.Get, $"/api/v1/instances/{world.Instance}/incident-reports", null),
            (HttpMethod.Post, $"/api/v1/incident-reports/{incident}/acknowledge", new { acknowledgedOn = "2026-11-16" }),
            (HttpMethod.Get, $"/api/v1/instances/{world.Instance}/follow-up-reports", null),
            (HttpMethod.Post, $"/api/v1/instances/{world.Instance}/follow-up-reports", new { periodFrom = "2026-10-01", periodTo = "2026-10-31", text = "Bilan" }),
            (HttpMethod.Post, $"/api/v1/follow-up-reports/{report}/acknowledge", new { acknowledgedOn = "2026-11-16" }),
        ];
        var anonymous = Api.Anonymous();
        foreach (var (method, path, body) in routes)
        {
            using (var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) })
            {
                // The version is no secret: a stranger who names one still learns nothing (without it: 428 for any id).
                request.Headers.TryAddWithoutValidation("If-Match", "\"v1\"");
                using var response = await world.Stranger.Http.SendAsync(request);
                var problem = await Json.ProblemAsync(response, HttpStatusCode.NotFound);
                Assert.That(problem.ToString(), Does.Not.Contain("Personne").And.Not.Contain("Absent").And.Not.Contain("Bilan"), $"{method} {path}");
            }
            using (var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) })
            using (var response = await anonymous.SendAsync(request))
            {
                await Json.ProblemAsync(response, HttpStatusCode.Unauthorized);
            }
        }
        Assert.That((await GetAsync(world.Procureur, id, HttpStatusCode.OK)).GetProperty("status").GetString(), Is.EqualTo("active"), "nothing the stranger sent took effect");
    }
}
