using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.PenalPolicy;

/// <summary>
/// The penal policy's deadlines on the API's clock, walked as the issue tells it: in a département with two procureurs,
/// each records his report's communication on 31 January and gets 28 February; one delivers on time to his EMS and
/// CCOFSI, the other late to the EMS; the overview and the statuses say exactly that. On the way: 31 December (due
/// 31 January, delivered on the day), 1 October (briefing reminders), a past year without a briefing, 29 February.
/// One test, because the clock only moves forward.
/// </summary>
public sealed class PenalPolicyDeadlineTests(DatabaseProvider provider) : ApiTest(provider)
{
    private PenalPolicyWorld world = null!;

    [OneTimeSetUp]
    public async Task CreateWorld() => world = await PenalPolicyWorld.CreateAsync(Api);

    /// <summary>10:00 in Paris on that day (11:00 in winter: UTC+1).</summary>
    private void On(int year, int month, int day) => Api.Clock.SetUtcNow(new DateTimeOffset(year, month, day, 9, 0, 0, TimeSpan.Zero));

    private async Task<JsonElement> ReportAsync(Actor procureur, Guid report)
    {
        using var response = await procureur.Http.GetAsync($"/api/v1/penal-policy-reports/{report}");
        return await Json.ReadAsync(response, HttpStatusCode.OK);
    }

    private async Task<JsonElement> OverviewAsync(int year)
    {
        using var response = await world.Prefet.Http.GetAsync($"/api/v1/reports/penal-policy?year={year}&departement={world.Departement}");
        return await Json.ReadAsync(response, HttpStatusCode.OK);
    }

    private JsonElement Line(JsonElement overview, Guid instance, Actor procureur) =>
        overview.GetProperty("lines").EnumerateArray()
            .Single(l => l.GetProperty("instanceId").GetGuid() == instance && l.GetProperty("procureurOrganisationId").GetGuid() == procureur.OrganisationId);

    private async Task DeliveredAsync(Actor procureur, Guid report, params Guid[] instances)
    {
        using var response = await world.DeliverAsync(procureur, report, instances);
        await Json.ReadAsync(response, HttpStatusCode.Created);
    }

    private async Task BriefedAsync(Actor procureur, Guid instance, string heldOn)
    {
        using var response = await procureur.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/penal-policy-briefings",
            new { year = int.Parse(heldOn[..4], System.Globalization.CultureInfo.InvariantCulture), heldOn, summary = "Orientations de politique pénale" });
        await Json.ReadAsync(response, HttpStatusCode.Created);
    }

    private int Reminders(string kind) => (int)Database.Scalar(Api, $"SELECT COUNT(*) FROM pp_reminders WHERE kind = '{kind}'");

    [Test]
    public async Task POL_1_POL_2_two_procureurs_on_31_january_one_on_time_one_late_and_the_reminders_from_1_october()
    {
        // 31 December: due 31 January, and delivered on that very day it is on time.
        On(2026, 12, 31);
        var lastYear = (await world.ReportAsync(world.ProcureurA, 2025, "2026-12-31")).GetProperty("id").GetGuid();
        Assert.That((await ReportAsync(world.ProcureurA, lastYear)).GetProperty("synthesisDueOn").GetString(), Is.EqualTo("2027-01-31"));

        On(2027, 1, 31);
        await DeliveredAsync(world.ProcureurA, lastYear, world.Ems, world.Ccofsi);
        var a = await world.ReportAsync(world.ProcureurA, 2026, "2027-01-31");
        var b = await world.ReportAsync(world.ProcureurB, 2026, "2027-01-31");
        Assert.Multiple(async () =>
        {
            Assert.That((await ReportAsync(world.ProcureurA, lastYear)).GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("status").GetString()),
                Is.All.EqualTo("on-time"), "delivered on its due date");
            Assert.That(a.GetProperty("synthesisDueOn").GetString(), Is.EqualTo("2027-02-28"));
            Assert.That(b.GetProperty("synthesisDueOn").GetString(), Is.EqualTo("2027-02-28"));
        });
        var aId = a.GetProperty("id").GetGuid();
        var bId = b.GetProperty("id").GetGuid();

        On(2027, 2, 28);
        await DeliveredAsync(world.ProcureurA, aId, world.Ems, world.Ccofsi);
        Assert.That(PenalPolicyWorld.StatusOf(await ReportAsync(world.ProcureurB, bId), world.Ems), Is.EqualTo("pending"), "the due date itself is still in time");

        On(2027, 3, 1);
        Assert.That(PenalPolicyWorld.StatusOf(await ReportAsync(world.ProcureurB, bId), world.Ems), Is.EqualTo("overdue"));
        await Api.Factory.RunJobAsync("penal-policy.reminders");
        await Api.Factory.RunJobAsync("penal-policy.reminders");
        Assert.That(Reminders("synthesis-overdue"), Is.EqualTo(1), "marked once, however often the job runs");
        var overdue = await OverviewAsync(2026);
        Assert.Multiple(() =>
        {
            Assert.That(Line(overdue, world.Ems, world.ProcureurB).GetProperty("synthesisStatus").GetString(), Is.EqualTo("overdue"));
            Assert.That(overdue.GetProperty("reminders").EnumerateArray().Select(r => (r.GetProperty("kind").GetString(), r.GetProperty("procureurOrganisationId").GetGuid(),
                r.GetProperty("markedOn").GetString())), Is.EqualTo(new[] { ("synthesis-overdue", world.ProcureurB.OrganisationId, "2027-03-01") }));
        });

        await DeliveredAsync(world.ProcureurB, bId, world.Ems);
        var after = await OverviewAsync(2026);
        Assert.Multiple(() =>
        {
            Assert.That(Line(after, world.Ems, world.ProcureurA).GetProperty("synthesisStatus").GetString(), Is.EqualTo("on-time"));
            Assert.That(Line(after, world.Ccofsi, world.ProcureurA).GetProperty("synthesisStatus").GetString(), Is.EqualTo("on-time"));
            Assert.That(Line(after, world.Ems, world.ProcureurB).GetProperty("synthesisStatus").GetString(), Is.EqualTo("late"));
            Assert.That(Line(after, world.Ems, world.ProcureurB).GetProperty("synthesisDeliveredOn").GetString(), Is.EqualTo("2027-03-01"));
            Assert.That(Line(after, world.Ems, world.ProcureurB).GetProperty("synthesisDueOn").GetString(), Is.EqualTo("2027-02-28"));
            Assert.That(after.GetProperty("lines").GetArrayLength(), Is.EqualTo(3), "B does not sit in the CCOFSI");
            Assert.That(after.GetProperty("reminders")[0].GetProperty("resolvedOn").GetString(), Is.EqualTo("2027-03-01"));
        });
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/penal-policy?year=2026&departement={world.Departement}"))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            using var csv = await world.ProcureurA.Http.SendAsync(request);
            var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var bRow = rows.Single(r => r.Contains($"{world.Ems},ems,") && r.Contains(world.ProcureurB.OrganisationId.ToString()));
            Assert.That(bRow, Does.Contain($",{bId},2027-02-28,late,2027-03-01,synthesis-overdue 2027-03-01 resolved 2027-03-01"));
        }

        // From 1 October, the procureurs without a briefing that year in an instance are marked.
        On(2027, 9, 30);
        await BriefedAsync(world.ProcureurA, world.Ems, "2027-09-20");
        await Api.Factory.RunJobAsync("penal-policy.reminders");
        Assert.That(Reminders("briefing-missing"), Is.Zero, "not before 1 October");
        On(2027, 10, 1);
        await Api.Factory.RunJobAsync("penal-policy.reminders");
        var october = await OverviewAsync(2027);
        var marked = october.GetProperty("reminders").EnumerateArray().Where(r => r.GetProperty("kind").GetString() == "briefing-missing")
            .Select(r => (r.GetProperty("instanceId").GetGuid(), r.GetProperty("procureurOrganisationId").GetGuid(), r.GetProperty("dueOn").GetString())).ToList();
        Assert.That(marked, Is.EquivalentTo(new[] { (world.Ccofsi, world.ProcureurA.OrganisationId, "2027-12-31"), (world.Ems, world.ProcureurB.OrganisationId, "2027-12-31") }));
        Assert.That(Database.Scalar(Api, "SELECT COUNT(*) FROM aud_events WHERE action = 'penal-policy-reminder.create'"), Is.EqualTo(3), "each marking is in the access log");
        await BriefedAsync(world.ProcureurB, world.Ems, "2027-10-01");
        Assert.That(Database.Scalar(Api, $"SELECT COUNT(*) FROM pp_reminders WHERE kind = 'briefing-missing' AND resolved_on IS NOT NULL AND procureur_id = '{world.ProcureurB.OrganisationId}'"),
            Is.EqualTo(1), "his briefing resolves his reminder");

        // 31 December passes: the CCOFSI had no briefing from A in 2027.
        On(2028, 1, 30);
        using (var status = await world.Police.Http.GetAsync($"/api/v1/instances/{world.Ccofsi}/penal-policy/status?year=2027"))
        {
            var procureurs = (await Json.ReadAsync(status, HttpStatusCode.OK)).GetProperty("procureurs");
            Assert.That(procureurs.EnumerateArray().Select(p => (p.GetProperty("procureurOrganisationId").GetGuid(), p.GetProperty("status").GetString())),
                Is.EqualTo(new[] { (world.ProcureurA.OrganisationId, "missing") }));
        }
        var overview2027 = await OverviewAsync(2027);
        Assert.Multiple(() =>
        {
            Assert.That(Line(overview2027, world.Ems, world.ProcureurA).GetProperty("briefingStatus").GetString(), Is.EqualTo("held"));
            Assert.That(Line(overview2027, world.Ems, world.ProcureurB).GetProperty("briefingStatus").GetString(), Is.EqualTo("held"));
            Assert.That(Line(overview2027, world.Ccofsi, world.ProcureurA).GetProperty("briefingStatus").GetString(), Is.EqualTo("missing"));
        });

        // 29 February: a communication on 30 January 2028 is due on the last day of February of a leap year.
        var leap = await world.ReportAsync(world.ProcureurB, 2027, "2028-01-30");
        Assert.That(leap.GetProperty("synthesisDueOn").GetString(), Is.EqualTo("2028-02-29"));
    }
}
