using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Law;

namespace EtatMajor.Api.Tests.FollowUp;

/// <summary>
/// The follow-up in time, on the API's clock (DES-6): release, periodic review, closure when the obligations end,
/// erasure after the retention period with a content-free tombstone; and the scenario, walked end to end.
/// Each test writes its dates from the clock as it finds it (the tests of this fixture move it forward).
/// </summary>
public sealed class FollowUpTimeTests(DatabaseProvider provider) : ApiTest(provider)
{
    private FollowUpWorld world = null!;

    [OneTimeSetUp]
    public async Task CreateWorld() => world = await FollowUpWorld.CreateAsync(Api);

    private DateOnly Today => LegalCalendar.Today(Api.Clock);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private void Advance(int days) => Api.Clock.Advance(TimeSpan.FromDays(days));

    private async Task<JsonElement> ReadAsync(Actor actor, Guid designation)
    {
        using var response = await actor.Http.GetAsync($"/api/v1/designations/{designation}");
        return await Json.ReadAsync(response, HttpStatusCode.OK);
    }

    [Test]
    public async Task DES_6_designated_until_release_then_active_and_reviewed_periodically()
    {
        var designation = await world.DesignateAsync(FollowUpWorld.Body("Attente", releasedOn: Iso(Today.AddDays(10))));
        var id = designation.GetProperty("id").GetGuid();
        Assert.That(designation.GetProperty("status").GetString(), Is.EqualTo("designated"));
        Advance(10);
        Assert.That((await ReadAsync(world.Procureur, id)).GetProperty("status").GetString(), Is.EqualTo("active"));

        Advance(200);
        var overdue = await ReadAsync(world.Procureur, id);
        Assert.That(overdue.GetProperty("reviewOverdue").GetBoolean(), Is.True, "six months passed without a review");
        using (var listed = await world.Procureur.Http.GetAsync($"/api/v1/instances/{world.Instance}/designations?reviewOverdue=true"))
        {
            Assert.That((await Json.ReadAsync(listed, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()), Does.Contain(id));
        }
        using (var byPrefet = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/designations/{id}/reviews", new { reviewedOn = Iso(Today), decision = "continue" }))
        {
            await Json.RuleViolationAsync(byPrefet, HttpStatusCode.Forbidden, "DES-1");
        }
        using (var reviewed = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/designations/{id}/reviews", new { reviewedOn = Iso(Today), decision = "continue" }))
        {
            await Json.ReadAsync(reviewed, HttpStatusCode.Created);
        }
        var after = await ReadAsync(world.Procureur, id);
        Assert.Multiple(() =>
        {
            Assert.That(after.GetProperty("reviewOverdue").GetBoolean(), Is.False);
            Assert.That(after.GetProperty("reviewDueOn").GetString(), Is.EqualTo(Iso(LegalCalendar.AddCalendarMonths(Today, 6))));
        });
    }

    [Test]
    public async Task DES_6_the_last_obligation_ending_closes_the_follow_up_and_its_assignments()
    {
        var designation = await world.DesignateAsync(FollowUpWorld.Body("Echeance", firstUntil: Iso(Today.AddDays(20)), secondUntil: Iso(Today.AddDays(30))));
        var id = designation.GetProperty("id").GetGuid();
        await world.AssignAsync(id, world.Police, FollowUpWorld.ObligationId(designation, 1));
        Advance(25);
        Assert.That(await Api.Factory.RunJobAsync("follow-up.closure"), Is.True);
        Assert.That((await ReadAsync(world.Procureur, id)).GetProperty("status").GetString(), Is.EqualTo("active"), "one obligation still runs");
        Advance(6);
        await Api.Factory.RunJobAsync("follow-up.closure");
        var closed = await ReadAsync(world.Procureur, id);
        Assert.Multiple(() =>
        {
            Assert.That(closed.GetProperty("status").GetString(), Is.EqualTo("closed"));
            Assert.That(closed.GetProperty("closureReason").GetString(), Is.EqualTo("obligations-ended"));
        });
        using var police = await world.Police.Http.GetAsync($"/api/v1/designations/{id}");
        Assert.That(police.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the assignments ended with the follow-up");
    }

    /// <summary>The "done when", walked as a user would.</summary>
    [Test]
    public async Task Scenario_designation_assignments_breach_judicial_refusal_suspension_closure_and_erasure()
    {
        var path = $"/api/v1/instances/{world.Instance}/designations";
        var before = Database.Scalar(Api, "SELECT COUNT(*) FROM fu_designations");
        using (var unfavourable = await world.Procureur.Http.PostAsJsonAsync(path,
                   FollowUpWorld.Body("Durand", japOpinion: new { favourable = false, givenOn = "2026-10-20", judgeCapacity = "jap", reference = "JAP-9" })))
        {
            await Json.RuleViolationAsync(unfavourable, HttpStatusCode.UnprocessableEntity, "DES-2");
        }
        Assert.That(Database.Scalar(Api, "SELECT COUNT(*) FROM fu_designations"), Is.EqualTo(before), "the unfavourable opinion stored nothing");

        var designation = await world.DesignateAsync(FollowUpWorld.Body("Durand"));
        var id = designation.GetProperty("id").GetGuid();
        var (prohibition, signing) = (FollowUpWorld.ObligationId(designation, 0), FollowUpWorld.ObligationId(designation, 1));
        await world.AssignAsync(id, world.Police, signing);
        await world.AssignAsync(id, world.Mairie, prohibition);
        Assert.Multiple(async () =>
        {
            Assert.That((await ReadAsync(world.Police, id)).GetProperty("obligations").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()), Is.EqualTo(new[] { signing }));
            Assert.That((await ReadAsync(world.Mairie, id)).GetProperty("obligations").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()), Is.EqualTo(new[] { prohibition }));
        });

        using (var breach = await world.ObserveAsync(world.Police, id, signing, "breach-suspected", "Absent au pointage de lundi"))
        {
            await Json.ReadAsync(breach, HttpStatusCode.Created);
        }
        using (var reports = await world.Procureur.Http.GetAsync($"/api/v1/instances/{world.Instance}/incident-reports?open=true"))
        {
            Assert.That((await Json.ReadAsync(reports, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("designationId").GetGuid()),
                Does.Contain(id));
        }
        using (var jap = await world.Jap.Http.PostAsJsonAsync($"/api/v1/designations/{id}/events",
                   new { type = "returned-to-detention", occurredOn = Iso(Today), source = "jap", reference = "JAP-10" }))
        {
            await Json.RuleViolationAsync(jap, HttpStatusCode.Forbidden, "FLOW-1");
        }
        using (var recorded = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/designations/{id}/events",
                   new { type = "returned-to-detention", occurredOn = Iso(Today), source = "jap", reference = "JAP-10" }))
        {
            await Json.ReadAsync(recorded, HttpStatusCode.Created);
        }
        Assert.That((await ReadAsync(world.Procureur, id)).GetProperty("status").GetString(), Is.EqualTo("suspended"));

        using (var closed = await world.Procureur.Http.PostAsJsonAsync($"/api/v1/designations/{id}/close", new { closedOn = Iso(Today), reason = "returned-to-detention" }))
        {
            Assert.That((await Json.ReadAsync(closed, HttpStatusCode.OK)).GetProperty("status").GetString(), Is.EqualTo("closed"));
        }
        Advance(364);
        await Api.Factory.RunJobAsync("follow-up.retention");
        Assert.That((await ReadAsync(world.Procureur, id)).GetProperty("status").GetString(), Is.EqualTo("closed"), "kept for the retention period");
        Advance(2);
        await Api.Factory.RunJobAsync("follow-up.retention");
        var tombstone = await ReadAsync(world.Procureur, id);
        Assert.Multiple(() =>
        {
            Assert.That(tombstone.GetProperty("status").GetString(), Is.EqualTo("erased"));
            Assert.That(tombstone.GetProperty("person").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(tombstone.GetProperty("erased").GetProperty("obligations").GetInt32(), Is.EqualTo(2));
            Assert.That(tombstone.GetProperty("erased").GetProperty("assignments").GetInt32(), Is.EqualTo(2));
            Assert.That(tombstone.GetProperty("erased").GetProperty("observations").GetInt32(), Is.EqualTo(1));
            Assert.That(tombstone.GetProperty("erased").GetProperty("events").GetInt32(), Is.EqualTo(1));
            Assert.That(Database.Scalar(Api, $"SELECT COUNT(*) FROM fu_designations WHERE last_name = 'Durand' OR person_key IS NOT NULL AND id = '{Id(id)}'"), Is.Zero);
            Assert.That(Database.Scalar(Api, $"SELECT COUNT(*) FROM fu_obligations WHERE designation_id = '{Id(id)}'"), Is.Zero);
            Assert.That(Database.Scalar(Api, $"SELECT COUNT(*) FROM fu_observations WHERE designation_id = '{Id(id)}'"), Is.Zero);
        });
        using (var police = await world.Police.Http.GetAsync($"/api/v1/designations/{id}"))
        {
            Assert.That(police.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        var auditor = await Api.ActorAsync("auditeur", null, "audit");
        var events = (await AuditLog.EventsAsync(auditor, $"&resourceId={id}")).Concat(await AuditLog.EventsAsync(auditor, $"&relatedResourceId={id}")).ToList();
        Assert.Multiple(() =>
        {
            var reads = events.Where(e => e.GetProperty("action").GetString() == "designation.read").ToList();
            Assert.That(reads, Is.Not.Empty);
            Assert.That(reads.All(e => e.GetProperty("justification").GetString() == Motif.Default), Is.True, "every read with its motif");
            Assert.That(events.Any(e => e.GetProperty("action").GetString() == "designation.erase" && e.GetProperty("operation").GetString() == "erasure"), Is.True);
            Assert.That(events.Any(e => e.GetProperty("action").GetString() == "designation.observe"), Is.True);
            Assert.That(Database.Scalar(Api, "SELECT COUNT(*) FROM aud_events WHERE resource_id LIKE '%Durand%' OR route LIKE '%Durand%' OR justification LIKE '%Durand%'"), Is.Zero);
        });
    }

    private static string Id(Guid id) => id.ToString();
}
