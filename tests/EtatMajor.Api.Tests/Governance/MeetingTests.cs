using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Governance;

/// <summary>Issue 4, points 3 to 5: meetings and their guests (COMP-5), cadence (MEET-1), DNO report (MEET-2).</summary>
public sealed class MeetingTests(DatabaseProvider provider) : ApiTest(provider)
{
    private static async Task<JsonElement> RecordAsync(Actor coChair, Guid instance, string heldOn, Guid[]? attendees = null, object[]? guests = null)
    {
        using var response = await coChair.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/meetings", new
        {
            heldOn, themes = new[] { "Sécurité routière", "Violences intrafamiliales" }, attendeeOrganisationIds = attendees ?? [], guests = guests ?? [],
        });
        return await Json.ReadAsync(response, HttpStatusCode.Created);
    }

    [Test]
    public async Task COMP_4_COMP_5_a_meeting_records_members_and_participants_as_attendees_and_guests_who_never_become_members()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        var police = await Api.ActorAsync("police-nationale", d.Code, "governance");
        await d.AddParticipantAsync(ems, police);
        var bailleur = await Api.ActorAsync("bailleur-social", d.Code, "exchange");
        var meeting = await RecordAsync(d.Prefet, ems, "2026-01-15", [d.Prefet.OrganisationId, police.OrganisationId],
            [new { name = "Office public de l'habitat", category = "bailleur-social", organisationId = bailleur.OrganisationId }, new { name = "Réseau de bus", category = "transporteur-public" }]);
        Assert.Multiple(() =>
        {
            Assert.That(meeting.GetProperty("attendees").GetArrayLength(), Is.EqualTo(2));
            Assert.That(meeting.GetProperty("guests").EnumerateArray().Select(g => g.GetProperty("category").GetString()), Is.EqualTo(new[] { "bailleur-social", "transporteur-public" }));
            Assert.That(meeting.GetProperty("themes").GetArrayLength(), Is.EqualTo(2));
        });
        using (var members = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/members"))
        {
            Assert.That((await Json.ReadAsync(members, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("organisationId").GetGuid()),
                Does.Not.Contain(bailleur.OrganisationId));
        }
        using (var asGuest = await bailleur.Http.GetAsync($"/api/v1/instances/{ems}/meetings/{meeting.GetProperty("id").GetGuid()}"))
        {
            await Json.ProblemAsync(asGuest, HttpStatusCode.NotFound);
        }
        using var guestAsAttendee = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/meetings", new
        {
            heldOn = "2026-02-10", themes = Array.Empty<string>(), attendeeOrganisationIds = new[] { bailleur.OrganisationId }, guests = Array.Empty<object>(),
        });
        var problem = await Json.RuleViolationAsync(guestAsAttendee, HttpStatusCode.UnprocessableEntity, "COMP-5");
        Assert.That(problem.GetProperty("notMembers")[0].GetGuid(), Is.EqualTo(bailleur.OrganisationId));
    }

    [Test]
    public async Task Meetings_are_recorded_by_co_chairs_once_held_and_read_by_members()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.CcofsiAsync("Réunions");
        var police = await Api.ActorAsync("police-nationale", d.Code, "governance");
        await d.AddAsync(ems, police);
        using (var byMember = await police.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/meetings", new { heldOn = "2026-01-15" }))
        {
            await Json.ProblemAsync(byMember, HttpStatusCode.Forbidden);
        }
        using (var future = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/meetings", new { heldOn = EtatMajor.SharedKernel.Law.LegalCalendar.Today(Api.Clock).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }))
        {
            var problem = await Json.ProblemAsync(future, HttpStatusCode.UnprocessableEntity);
            Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("heldOn"));
        }
        using (var noDate = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/meetings", new { themes = new[] { "x" } }))
        {
            await Json.ProblemAsync(noDate, HttpStatusCode.BadRequest);
        }
        using (var yearOne = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/meetings", new { heldOn = "0001-01-01" }))
        {
            var problem = await Json.ProblemAsync(yearOne, HttpStatusCode.BadRequest);
            Assert.That(problem.GetProperty("errors").GetProperty("heldOn")[0].GetString(), Does.StartWith("must be on or after 2000-01-01"));
        }
        await RecordAsync(d.Prefet, ems, "2025-03-10");
        await RecordAsync(d.Procureur, ems, "2026-03-10");
        using var list = await police.Http.GetAsync($"/api/v1/instances/{ems}/meetings?year=2025");
        var meetings = await Json.ReadAsync(list, HttpStatusCode.OK);
        Assert.That(meetings.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("heldOn").GetString()), Is.EqualTo(new[] { "2025-03-10" }));
        var stranger = await Departement.CreateAsync(Api);
        using var byStranger = await stranger.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/meetings?year=2025");
        await Json.ProblemAsync(byStranger, HttpStatusCode.NotFound);
        using var byAdministrator = await (await Api.AdminAsync()).GetAsync($"/api/v1/instances/{ems}/meetings?year=2025");
        await Json.ProblemAsync(byAdministrator, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Minutes_need_the_current_etag_428_without_it_412_when_stale()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        var meeting = await RecordAsync(d.Prefet, ems, "2026-04-02");
        var url = $"/api/v1/instances/{ems}/meetings/{meeting.GetProperty("id").GetGuid()}";
        using var read = await d.Procureur.Http.GetAsync(url);
        await Json.ReadAsync(read, HttpStatusCode.OK);
        var etag = read.Headers.ETag!.Tag;

        using (var without = await d.Procureur.Http.PutAsJsonAsync(url + "/minutes", new { text = "Relevé de décisions" }))
        {
            await Json.ProblemAsync(without, HttpStatusCode.PreconditionRequired);
        }
        using var first = new HttpRequestMessage(HttpMethod.Put, url + "/minutes") { Content = JsonContent.Create(new { text = "Relevé de décisions" }) };
        first.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        using var written = await d.Procureur.Http.SendAsync(first);
        var updated = await Json.ReadAsync(written, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(updated.GetProperty("minutes").GetString(), Is.EqualTo("Relevé de décisions"));
            Assert.That(written.Headers.ETag!.Tag, Is.Not.EqualTo(etag));
        });
        using var stale = new HttpRequestMessage(HttpMethod.Put, url + "/minutes") { Content = JsonContent.Create(new { text = "Écrasé" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        using var refused = await d.Prefet.Http.SendAsync(stale);
        await Json.ProblemAsync(refused, HttpStatusCode.PreconditionFailed);
    }

    private static async Task<HttpResponseMessage> WriteMinutesAsync(Actor coChair, string url, string text)
    {
        using var read = await coChair.Http.GetAsync(url);
        await Json.ReadAsync(read, HttpStatusCode.OK);
        using var write = new HttpRequestMessage(HttpMethod.Put, url + "/minutes") { Content = JsonContent.Create(new { text }) };
        write.Headers.IfMatch.Add(new EntityTagHeaderValue(read.Headers.ETag!.Tag));
        return await coChair.Http.SendAsync(write);
    }

    [Test]
    public async Task CONF_2_minutes_that_mention_a_procedure_piece_are_held_read_by_the_co_chairs_only_until_a_procureur_releases_them()
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Procès-verbaux");
        var police = await Api.ActorAsync("police-nationale", d.Code, "governance");
        await d.AddAsync(ccofsi, police);
        var meeting = await RecordAsync(d.Prefet, ccofsi, "2026-05-05");
        var url = $"/api/v1/instances/{ccofsi}/meetings/{meeting.GetProperty("id").GetGuid()}";

        using (var refused = await WriteMinutesAsync(d.Prefet, url, "PROCES-VERBAL. Nous soussigné, officier de police judiciaire, entendons M. X"))
        {
            await Json.RuleViolationAsync(refused, HttpStatusCode.Forbidden, "CONF-2");
        }
        string heldVersion;
        using (var held = await WriteMinutesAsync(d.Prefet, url, "Le procureur a présenté les suites données au PV d'audition du 3 mars."))
        {
            var minutes = await Json.ReadAsync(held, HttpStatusCode.Accepted);
            heldVersion = held.Headers.ETag!.Tag;
            Assert.That(minutes.GetProperty("minutesStatus").GetString(), Is.EqualTo("held-for-review"));
            Assert.That(minutes.GetProperty("minutesHolds")[0].GetProperty("ruleId").GetString(), Is.EqualTo("CONF-2"));
        }
        using (var asMember = await police.Http.GetAsync(url))
        {
            var minutes = await Json.ReadAsync(asMember, HttpStatusCode.OK);
            Assert.That(minutes.GetProperty("minutes").ValueKind, Is.EqualTo(JsonValueKind.Null), "a member waits for the review");
            Assert.That(minutes.GetProperty("minutesStatus").GetString(), Is.EqualTo("held-for-review"));
        }
        HttpRequestMessage Release(string? ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url + "/minutes/release");
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
            return request;
        }
        using (var byPrefet = await d.Prefet.Http.SendAsync(Release(heldVersion)))
        {
            await Json.RuleViolationAsync(byPrefet, HttpStatusCode.Forbidden, "CONF-2");
        }
        using (var without = await d.Procureur.Http.SendAsync(Release(null)))
        {
            await Json.ProblemAsync(without, HttpStatusCode.PreconditionRequired);
        }
        using (var stale = await d.Procureur.Http.SendAsync(Release("\"v1\"")))
        {
            Assert.That((await Json.ProblemAsync(stale, HttpStatusCode.PreconditionFailed)).GetProperty("type").GetString(), Is.EqualTo("/problems/precondition-failed"),
                "minutes rewritten since the version the procureur read are not released in their place");
        }
        using (var star = await d.Procureur.Http.SendAsync(Release("*")))
        {
            await Json.ProblemAsync(star, HttpStatusCode.PreconditionRequired);
        }
        using (var released = await d.Procureur.Http.SendAsync(Release(heldVersion)))
        {
            Assert.That((await Json.ReadAsync(released, HttpStatusCode.OK)).GetProperty("minutesStatus").GetString(), Is.EqualTo("published"));
        }
        using (var asMember = await police.Http.GetAsync(url))
        {
            Assert.That((await Json.ReadAsync(asMember, HttpStatusCode.OK)).GetProperty("minutes").GetString(), Does.Contain("PV d'audition"));
        }
        using (var again = await d.Procureur.Http.SendAsync(Release(heldVersion)))
        {
            await Json.ProblemAsync(again, HttpStatusCode.Conflict);
        }
        using var withoutMotif = await police.Http.SendAsync(Motif.Without(HttpMethod.Get, url));
        await Json.RuleViolationAsync(withoutMotif, HttpStatusCode.BadRequest, "LOG-1");
    }

    [Test]
    public async Task A_stranger_gets_404_on_every_read_of_an_instance_it_does_not_belong_to()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        var meeting = await RecordAsync(d.Prefet, ems, "2026-02-03");
        var stranger = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "governance", "exchange");
        foreach (var path in new[]
                 {
                     $"/api/v1/instances/{ems}", $"/api/v1/instances/{ems}/members", $"/api/v1/instances/{ems}/members/{d.Prefet.OrganisationId}",
                     $"/api/v1/instances/{ems}/meetings", $"/api/v1/instances/{ems}/meetings/{meeting.GetProperty("id").GetGuid()}",
                     $"/api/v1/instances/{ems}/meeting-cadence", $"/api/v1/instances/{ems}/internal-rules",
                     $"/api/v1/instances/{ems}/internal-rules/current", $"/api/v1/instances/{ems}/internal-rules/acknowledgements",
                     $"/api/v1/instances/{ems}/exchanges",
                 })
        {
            using var response = await stranger.Http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
            Assert.That(body, Does.Not.Contain($"EMS {d.Code}").And.Not.Contain("Sécurité routière").And.Not.Contain(d.Procureur.OrganisationId.ToString()), $"{path} discloses nothing");
        }
    }

    [Test]
    public async Task MEET_1_the_cadence_of_an_ems_shows_each_month_and_those_below_the_monthly_target()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        foreach (var day in new[] { "2025-01-09", "2025-01-23", "2025-02-13", "2025-04-10", "2025-05-15", "2025-06-12", "2025-09-11", "2025-10-09", "2025-11-13", "2025-12-11" })
        {
            await RecordAsync(d.Prefet, ems, day);
        }
        using var response = await d.Procureur.Http.GetAsync($"/api/v1/instances/{ems}/meeting-cadence?year=2025");
        var cadence = await Json.ReadAsync(response, HttpStatusCode.OK);
        var months = cadence.GetProperty("months").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(cadence.GetProperty("ruleId").GetString(), Is.EqualTo("MEET-1"));
            Assert.That(months, Has.Count.EqualTo(12));
            Assert.That(months.Select(m => m.GetProperty("meetingsHeld").GetInt32()), Is.EqualTo(new[] { 2, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1 }));
            Assert.That(cadence.GetProperty("monthsBelowTarget").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "2025-03", "2025-07", "2025-08" }));
        });
    }

    [Test]
    public async Task MEET_1_a_ccofsi_reports_its_cadence_without_compliance_flags()
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Sud");
        await RecordAsync(d.Prefet, ccofsi, "2025-05-05");
        using var response = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ccofsi}/meeting-cadence?year=2025");
        var cadence = await Json.ReadAsync(response, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(cadence.GetProperty("monthsBelowTarget").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(cadence.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("meetsTarget").ValueKind), Is.All.EqualTo(JsonValueKind.Null));
            Assert.That(cadence.GetProperty("months")[4].GetProperty("meetingsHeld").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task MEET_2_the_dno_report_counts_ems_meetings_per_semester_in_json_and_csv_for_the_prefet_of_the_departement()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        foreach (var day in new[] { "2025-01-09", "2025-02-13", "2025-02-27", "2025-05-15", "2025-07-10" })
        {
            await RecordAsync(d.Prefet, ems, day);
        }
        using var response = await d.Prefet.Http.GetAsync($"/api/v1/reports/dno?semester=2025-S1");
        var report = await Json.ReadAsync(response, HttpStatusCode.OK);
        var line = report.GetProperty("departements").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("ruleId").GetString(), Is.EqualTo("MEET-2"));
            Assert.That(line.GetProperty("departement").GetString(), Is.EqualTo(d.Code));
            Assert.That(line.GetProperty("meetingsHeld").GetInt32(), Is.EqualTo(4));
            Assert.That(line.GetProperty("monthsWithoutMeeting").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "2025-03", "2025-04", "2025-06" }));
        });

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/dno?semester=2025-S2&departement={d.Code}");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var csv = await (await Api.AdminAsync()).SendAsync(csvRequest);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
            Assert.That(text, Does.StartWith("semester,departement,instanceId,instanceName,meetingsHeld,monthsWithoutMeeting"));
            Assert.That(text, Does.Contain($"2025-S2,{d.Code},{ems},"));
            Assert.That(text, Does.Contain(",1,2025-08 2025-09 2025-10 2025-11 2025-12"));
        });
    }

    [Test]
    public async Task MEET_2_the_dno_report_is_for_administrators_and_the_prefet_of_the_departement_only()
    {
        var d = await Departement.CreateAsync(Api);
        using (var otherDepartement = await d.Prefet.Http.GetAsync("/api/v1/reports/dno?semester=2025-S1&departement=" + (d.Code == "13" ? "14" : "13")))
        {
            await Json.ProblemAsync(otherDepartement, HttpStatusCode.Forbidden);
        }
        using (var procureur = await d.Procureur.Http.GetAsync("/api/v1/reports/dno?semester=2025-S1"))
        {
            await Json.ProblemAsync(procureur, HttpStatusCode.Forbidden);
        }
        foreach (var semester in new[] { "2025-S3", "2025", "25-S1", "" })
        {
            using var bad = await d.Prefet.Http.GetAsync($"/api/v1/reports/dno?semester={semester}");
            await Json.ProblemAsync(bad, HttpStatusCode.BadRequest);
        }
    }
}
