using System.Net;
using System.Net.Http.Json;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel.Data;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Api.Tests.Governance;

/// <summary>Issue 4, point 6: the règlement intérieur (CONF-3), its acknowledgement (CONF-4), and the contract other modules use.</summary>
public sealed class InternalRulesTests(DatabaseProvider provider) : ApiTest(provider)
{
    private static Task<HttpResponseMessage> AdoptAsync(Actor coChair, Guid instance, string version, string inForceFrom) =>
        coChair.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/internal-rules", new
        {
            version, adoptedByCdpdOn = "2025-01-10", cdpdDeliberationReference = $"CDPD-{version}", inForceFrom, text = $"Règlement intérieur {version}",
        });

    private async Task<InstanceMemberships?> MembershipsAsync(Guid instance, DateTimeOffset at, params Guid[] organisations)
    {
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetMemberships(instance, organisations, at));
    }

    [Test]
    public async Task CONF_3_without_a_reglement_in_force_current_is_404_and_the_latest_in_force_applies()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        using (var none = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/internal-rules/current"))
        {
            var problem = await Json.ProblemAsync(none, HttpStatusCode.NotFound);
            Assert.That(problem.GetProperty("ruleId").GetString(), Is.EqualTo("CONF-3"));
        }
        using (var v1 = await AdoptAsync(d.Prefet, ems, "2025.1", "2025-02-01"))
        {
            await Json.ReadAsync(v1, HttpStatusCode.Created);
        }
        using (var future = await AdoptAsync(d.Procureur, ems, "2099.1", "2099-01-01"))
        {
            await Json.ReadAsync(future, HttpStatusCode.Created);
        }
        using var current = await d.Procureur.Http.GetAsync($"/api/v1/instances/{ems}/internal-rules/current");
        var rules = await Json.ReadAsync(current, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(rules.GetProperty("version").GetString(), Is.EqualTo("2025.1"));
            Assert.That(rules.GetProperty("text").GetString(), Is.EqualTo("Règlement intérieur 2025.1"));
        });
        using var duplicate = await AdoptAsync(d.Prefet, ems, "2025.1", "2025-03-01");
        await Json.ProblemAsync(duplicate, HttpStatusCode.Conflict);
        using var list = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/internal-rules");
        Assert.That((await Json.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").GetArrayLength(), Is.EqualTo(2));
        using var byAdministrator = await (await Api.AdminAsync()).GetAsync($"/api/v1/instances/{ems}/internal-rules/current");
        await Json.ProblemAsync(byAdministrator, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task CONF_3_a_reglement_is_recorded_by_a_co_chair_with_its_cdpd_adoption()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        var police = await Api.ActorAsync("police-nationale", d.Code, "governance");
        await d.AddAsync(ems, police);
        using (var byMember = await AdoptAsync(police, ems, "1", "2025-02-01"))
        {
            await Json.ProblemAsync(byMember, HttpStatusCode.Forbidden);
        }
        using var beforeAdoption = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/internal-rules", new
        {
            version = "1", adoptedByCdpdOn = "2025-03-01", cdpdDeliberationReference = "CDPD", inForceFrom = "2025-02-01", text = "x",
        });
        var problem = await Json.ProblemAsync(beforeAdoption, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("inForceFrom", out _), Is.True);
    }

    [Test]
    public async Task CONF_4_each_member_acknowledges_the_version_in_force_and_a_new_version_must_be_acknowledged_again()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        var police = await Api.ActorAsync("police-nationale", d.Code, "exchange");
        await d.AddAsync(ems, police);
        using (var nothingInForce = await police.Http.PostAsync($"/api/v1/instances/{ems}/internal-rules/current/acknowledgements", null))
        {
            await Json.ProblemAsync(nothingInForce, HttpStatusCode.NotFound);
        }
        using (var v1 = await AdoptAsync(d.Prefet, ems, "v1", "2025-02-01"))
        {
            await Json.ReadAsync(v1, HttpStatusCode.Created);
        }
        using (var ack = await police.Http.PostAsync($"/api/v1/instances/{ems}/internal-rules/current/acknowledgements", null))
        {
            var acknowledgement = await Json.ReadAsync(ack, HttpStatusCode.Created);
            Assert.That(acknowledgement.GetProperty("version").GetString(), Is.EqualTo("v1"));
        }
        using (var twice = await police.Http.PostAsync($"/api/v1/instances/{ems}/internal-rules/current/acknowledgements", null))
        {
            await Json.ProblemAsync(twice, HttpStatusCode.Conflict);
        }
        var status = (await MembershipsAsync(ems, Api.Clock.GetUtcNow(), police.OrganisationId, d.Prefet.OrganisationId))!;
        Assert.Multiple(() =>
        {
            Assert.That(status.RulesInForce!.Version, Is.EqualTo("v1"));
            Assert.That(status.Organisations[police.OrganisationId].AcknowledgedRulesInForce, Is.True);
            Assert.That(status.Organisations[d.Prefet.OrganisationId].AcknowledgedRulesInForce, Is.False);
            Assert.That(status.Organisations[d.Prefet.OrganisationId].IsCoChair, Is.True);
        });

        using (var v2 = await AdoptAsync(d.Prefet, ems, "v2", EtatMajor.SharedKernel.Law.LegalCalendar.Today(Api.Clock).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))
        {
            await Json.ReadAsync(v2, HttpStatusCode.Created);
        }
        var afterNewVersion = (await MembershipsAsync(ems, Api.Clock.GetUtcNow(), police.OrganisationId))!;
        Assert.Multiple(() =>
        {
            Assert.That(afterNewVersion.RulesInForce!.Version, Is.EqualTo("v2"));
            Assert.That(afterNewVersion.Organisations[police.OrganisationId].AcknowledgedRulesInForce, Is.False, "a new version requires acknowledging again");
        });
        using (var again = await police.Http.PostAsync($"/api/v1/instances/{ems}/internal-rules/current/acknowledgements", null))
        {
            await Json.ReadAsync(again, HttpStatusCode.Created);
        }
        using var list = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/internal-rules/acknowledgements");
        var acknowledgements = await Json.ReadAsync(list, HttpStatusCode.OK);
        Assert.That(acknowledgements.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("version").GetString()), Is.EqualTo(new[] { "v1", "v2" }));
    }

    [Test]
    public async Task CONF_4_only_members_acknowledge()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        using (await AdoptAsync(d.Prefet, ems, "v1", "2025-02-01"))
        {
        }
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
        var ems = await d.EmsAsync();
        var douanes = await Api.ActorAsync("douanes", d.Code);
        await d.AddAsync(ems, douanes);
        var whileMember = Api.Clock.GetUtcNow();
        Api.Clock.Advance(TimeSpan.FromMinutes(1));
        using (var removed = await d.Prefet.Http.DeleteAsync($"/api/v1/instances/{ems}/members/{douanes.OrganisationId}"))
        {
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        var unknown = Guid.NewGuid();
        var then = (await MembershipsAsync(ems, whileMember, douanes.OrganisationId))!;
        var now = (await MembershipsAsync(ems, Api.Clock.GetUtcNow(), douanes.OrganisationId, unknown))!;
        Assert.Multiple(() =>
        {
            Assert.That(then.Organisations[douanes.OrganisationId].IsMember, Is.True);
            Assert.That(now.Organisations[douanes.OrganisationId].IsMember, Is.False);
            Assert.That(now.Organisations[douanes.OrganisationId].Kind, Is.EqualTo(EtatMajor.SharedKernel.Identity.OrganisationKind.Douanes));
            Assert.That(now.Organisations[unknown].Exists, Is.False);
            Assert.That(now.Kind, Is.EqualTo(InstanceKind.Ems));
        });
        Assert.That(await MembershipsAsync(Guid.NewGuid(), Api.Clock.GetUtcNow(), douanes.OrganisationId), Is.Null);
    }
}
