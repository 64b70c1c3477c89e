using System.Net;
using System.Net.Http.Json;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel.Data;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Api.Tests.Governance;

/// <summary>
/// The règlement intérieur of the CDPD (CONF-3, version 2: recorded once per département by the préfet), its
/// acknowledgement per instance (CONF-4), and the contract other modules use.
/// </summary>
public sealed class InternalRulesTests(DatabaseProvider provider) : ApiTest(provider)
{
    private static Task<HttpResponseMessage> AdoptAsync(Actor prefet, string departement, string version, string inForceFrom, Guid[]? instanceIds = null) =>
        prefet.Http.PostAsJsonAsync("/api/v1/internal-rules", new
        {
            departement, version, adoptedByCdpdOn = "2025-01-10", cdpdDeliberationReference = $"CDPD-{version}", proposedBy = "Groupe de travail « sécurité »",
            inForceFrom, text = $"Règlement intérieur {version}", instanceIds,
        });

    private async Task<InstanceMemberships?> MembershipsAsync(Guid instance, DateTimeOffset at, params Guid[] organisations)
    {
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetMemberships(instance, organisations, at));
    }

    private static string Yesterday(TestApi api) =>
        EtatMajor.SharedKernel.Law.LegalCalendar.Today(api.Clock).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task CONF_3_the_cdpd_reglement_of_the_departement_covers_every_instance_present_and_future_and_the_latest_in_force_applies()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        using (var none = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/internal-rules/current"))
        {
            var problem = await Json.ProblemAsync(none, HttpStatusCode.NotFound);
            Assert.That(problem.GetProperty("ruleId").GetString(), Is.EqualTo("CONF-3"));
        }
        using (var v1 = await AdoptAsync(d.Prefet, d.Code, "2025.1", "2025-02-01"))
        {
            var rules = await Json.ReadAsync(v1, HttpStatusCode.Created);
            Assert.That(rules.GetProperty("coversAllInstances").GetBoolean(), Is.True);
            Assert.That(v1.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/internal-rules/{rules.GetProperty("id").GetGuid()}"));
        }
        using (var future = await AdoptAsync(d.Prefet, d.Code, "2099.1", "2099-01-01"))
        {
            await Json.ReadAsync(future, HttpStatusCode.Created);
        }
        var ccofsi = await d.CcofsiAsync("Créée après");
        foreach (var instance in new[] { ems, ccofsi })
        {
            using var current = await d.Procureur.Http.GetAsync($"/api/v1/instances/{instance}/internal-rules/current");
            var rules = await Json.ReadAsync(current, HttpStatusCode.OK);
            Assert.Multiple(() =>
            {
                Assert.That(rules.GetProperty("version").GetString(), Is.EqualTo("2025.1"));
                Assert.That(rules.GetProperty("text").GetString(), Is.EqualTo("Règlement intérieur 2025.1"));
                Assert.That(rules.GetProperty("proposedBy").GetString(), Is.EqualTo("Groupe de travail « sécurité »"));
            });
        }
        using var duplicate = await AdoptAsync(d.Prefet, d.Code, "2025.1", "2025-03-01");
        await Json.ProblemAsync(duplicate, HttpStatusCode.Conflict);
        using var list = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/internal-rules");
        Assert.That((await Json.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").GetArrayLength(), Is.EqualTo(2));
        using var byAdministrator = await (await Api.AdminAsync()).GetAsync($"/api/v1/instances/{ems}/internal-rules/current");
        await Json.ProblemAsync(byAdministrator, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task CONF_3_only_the_prefet_of_the_departement_records_it_and_a_reglement_for_some_instances_covers_only_them()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        var ccofsi = await d.CcofsiAsync("Couverte");
        using (var byProcureur = await AdoptAsync(d.Procureur, d.Code, "1", "2025-02-01"))
        {
            await Json.ProblemAsync(byProcureur, HttpStatusCode.Forbidden);
        }
        var otherPrefet = await Api.ActorAsync("prefet", TestApi.FreshDepartement(), "governance");
        using (var byOtherPrefet = await AdoptAsync(otherPrefet, d.Code, "1", "2025-02-01"))
        {
            var problem = await Json.RuleViolationAsync(byOtherPrefet, HttpStatusCode.Forbidden, "CONF-3");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(d.Code));
        }
        using (var beforeAdoption = await d.Prefet.Http.PostAsJsonAsync("/api/v1/internal-rules", new
               {
                   departement = d.Code, version = "1", adoptedByCdpdOn = "2025-03-01", cdpdDeliberationReference = "CDPD", inForceFrom = "2025-02-01", text = "x",
               }))
        {
            var problem = await Json.ProblemAsync(beforeAdoption, HttpStatusCode.BadRequest);
            Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[] { "inForceFrom", "proposedBy" }));
        }
        var elsewhere = await Departement.CreateAsync(Api);
        var foreign = await elsewhere.EmsAsync();
        using (var foreignInstance = await AdoptAsync(d.Prefet, d.Code, "1", "2025-02-01", [ccofsi, foreign]))
        {
            await Json.ProblemAsync(foreignInstance, HttpStatusCode.UnprocessableEntity);
        }
        using (var onlyCcofsi = await AdoptAsync(d.Prefet, d.Code, "1", "2025-02-01", [ccofsi]))
        {
            var rules = await Json.ReadAsync(onlyCcofsi, HttpStatusCode.Created);
            Assert.That(rules.GetProperty("instanceIds").EnumerateArray().Select(i => i.GetGuid()), Is.EqualTo(new[] { ccofsi }));
        }
        using (var covered = await d.Procureur.Http.GetAsync($"/api/v1/instances/{ccofsi}/internal-rules/current"))
        {
            await Json.ReadAsync(covered, HttpStatusCode.OK);
        }
        using var notCovered = await d.Procureur.Http.GetAsync($"/api/v1/instances/{ems}/internal-rules/current");
        await Json.RuleViolationAsync(notCovered, HttpStatusCode.NotFound, "CONF-3");
    }

    [Test]
    public async Task CONF_3_a_repealed_reglement_no_longer_covers_anything_from_its_repeal()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        Guid id;
        using (var adopted = await AdoptAsync(d.Prefet, d.Code, "1", "2025-02-01"))
        {
            id = (await Json.ReadAsync(adopted, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }
        using (var read = await d.Procureur.Http.GetAsync($"/api/v1/internal-rules/{id}"))
        {
            await Json.ReadAsync(read, HttpStatusCode.OK);
        }
        var stranger = await Api.ActorAsync("police-nationale", d.Code, "governance");
        using (var byStranger = await stranger.Http.GetAsync($"/api/v1/internal-rules/{id}"))
        {
            await Json.ProblemAsync(byStranger, HttpStatusCode.NotFound);
        }
        using (var byProcureur = await d.Procureur.Http.PostAsJsonAsync($"/api/v1/internal-rules/{id}/repeal", new { repealedOn = "2026-01-01" }))
        {
            await Json.ProblemAsync(byProcureur, HttpStatusCode.Forbidden);
        }
        using (var beforeInForce = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/internal-rules/{id}/repeal", new { repealedOn = "2025-01-01" }))
        {
            await Json.ProblemAsync(beforeInForce, HttpStatusCode.UnprocessableEntity);
        }
        using (var repealed = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/internal-rules/{id}/repeal", new { repealedOn = Yesterday(Api) }))
        {
            Assert.That((await Json.ReadAsync(repealed, HttpStatusCode.OK)).GetProperty("repealedOn").GetString(), Is.EqualTo(Yesterday(Api)));
        }
        using (var twice = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/internal-rules/{id}/repeal", new { repealedOn = Yesterday(Api) }))
        {
            await Json.ProblemAsync(twice, HttpStatusCode.Conflict);
        }
        using var current = await d.Procureur.Http.GetAsync($"/api/v1/instances/{ems}/internal-rules/current");
        await Json.RuleViolationAsync(current, HttpStatusCode.NotFound, "CONF-3");
        Assert.That((await MembershipsAsync(ems, Api.Clock.GetUtcNow(), d.Prefet.OrganisationId))!.RulesInForce, Is.Null);
    }

    [Test]
    public async Task CONF_4_each_member_acknowledges_the_version_in_force_per_instance_and_a_new_version_must_be_acknowledged_again()
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Acquittement");
        var other = await d.CcofsiAsync("Autre");
        var police = await Api.ActorAsync("police-nationale", d.Code, "exchange");
        await d.AddAsync(ccofsi, police);
        await d.AddAsync(other, police);
        using (var nothingInForce = await police.Http.PostAsync($"/api/v1/instances/{ccofsi}/internal-rules/current/acknowledgements", null))
        {
            await Json.ProblemAsync(nothingInForce, HttpStatusCode.NotFound);
        }
        using (var v1 = await AdoptAsync(d.Prefet, d.Code, "v1", "2025-02-01"))
        {
            await Json.ReadAsync(v1, HttpStatusCode.Created);
        }
        using (var ack = await police.Http.PostAsync($"/api/v1/instances/{ccofsi}/internal-rules/current/acknowledgements", null))
        {
            var acknowledgement = await Json.ReadAsync(ack, HttpStatusCode.Created);
            Assert.That(acknowledgement.GetProperty("version").GetString(), Is.EqualTo("v1"));
            Assert.That(acknowledgement.GetProperty("instanceId").GetGuid(), Is.EqualTo(ccofsi));
        }
        using (var twice = await police.Http.PostAsync($"/api/v1/instances/{ccofsi}/internal-rules/current/acknowledgements", null))
        {
            await Json.ProblemAsync(twice, HttpStatusCode.Conflict);
        }
        var status = (await MembershipsAsync(ccofsi, Api.Clock.GetUtcNow(), police.OrganisationId, d.Prefet.OrganisationId))!;
        Assert.Multiple(() =>
        {
            Assert.That(status.RulesInForce!.Version, Is.EqualTo("v1"));
            Assert.That(status.Organisations[police.OrganisationId].AcknowledgedRulesInForce, Is.True);
            Assert.That(status.Organisations[d.Prefet.OrganisationId].AcknowledgedRulesInForce, Is.False);
            Assert.That(status.Organisations[d.Prefet.OrganisationId].IsCoChair, Is.True);
        });
        var elsewhere = (await MembershipsAsync(other, Api.Clock.GetUtcNow(), police.OrganisationId))!;
        Assert.That(elsewhere.Organisations[police.OrganisationId].AcknowledgedRulesInForce, Is.False, "acknowledged for one instance, not for another");

        using (var v2 = await AdoptAsync(d.Prefet, d.Code, "v2", Yesterday(Api)))
        {
            await Json.ReadAsync(v2, HttpStatusCode.Created);
        }
        var afterNewVersion = (await MembershipsAsync(ccofsi, Api.Clock.GetUtcNow(), police.OrganisationId))!;
        Assert.Multiple(() =>
        {
            Assert.That(afterNewVersion.RulesInForce!.Version, Is.EqualTo("v2"));
            Assert.That(afterNewVersion.Organisations[police.OrganisationId].AcknowledgedRulesInForce, Is.False, "a new version requires acknowledging again");
        });
        using (var again = await police.Http.PostAsync($"/api/v1/instances/{ccofsi}/internal-rules/current/acknowledgements", null))
        {
            await Json.ReadAsync(again, HttpStatusCode.Created);
        }
        using var list = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ccofsi}/internal-rules/acknowledgements");
        var acknowledgements = await Json.ReadAsync(list, HttpStatusCode.OK);
        Assert.That(acknowledgements.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("version").GetString()), Is.EqualTo(new[] { "v1", "v2" }));
    }

    [Test]
    public async Task CONF_4_only_members_acknowledge()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        await d.RulesAsync("v1", "2025-02-01");
        var stranger = await Api.ActorAsync("police-nationale", d.Code, "exchange");
        using (var byStranger = await stranger.Http.PostAsync($"/api/v1/instances/{ems}/internal-rules/current/acknowledgements", null))
        {
            await Json.ProblemAsync(byStranger, HttpStatusCode.NotFound);
        }
        using var byAdmin = await (await Api.AdminAsync()).PostAsync($"/api/v1/instances/{ems}/internal-rules/current/acknowledgements", null);
        await Json.ProblemAsync(byAdmin, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task CONF_1_the_memberships_contract_answers_as_of_an_instant_a_removed_member_is_a_third_party_from_its_removal()
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Contrat");
        var douanes = await Api.ActorAsync("douanes", d.Code);
        await d.AddAsync(ccofsi, douanes);
        var whileMember = Api.Clock.GetUtcNow();
        Api.Clock.Advance(TimeSpan.FromMinutes(1));
        using (var removed = await d.Prefet.Http.DeleteAsync($"/api/v1/instances/{ccofsi}/members/{douanes.OrganisationId}"))
        {
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        var unknown = Guid.NewGuid();
        var then = (await MembershipsAsync(ccofsi, whileMember, douanes.OrganisationId))!;
        var now = (await MembershipsAsync(ccofsi, Api.Clock.GetUtcNow(), douanes.OrganisationId, unknown))!;
        Assert.Multiple(() =>
        {
            Assert.That(then.Organisations[douanes.OrganisationId].IsMember, Is.True);
            Assert.That(now.Organisations[douanes.OrganisationId].IsMember, Is.False);
            Assert.That(now.Organisations[douanes.OrganisationId].Kind, Is.EqualTo(EtatMajor.SharedKernel.Identity.OrganisationKind.Douanes));
            Assert.That(now.Organisations[unknown].Exists, Is.False);
            Assert.That(now.Kind, Is.EqualTo(InstanceKind.Ccofsi));
        });
        Assert.That(await MembershipsAsync(Guid.NewGuid(), Api.Clock.GetUtcNow(), douanes.OrganisationId), Is.Null);
    }
}
