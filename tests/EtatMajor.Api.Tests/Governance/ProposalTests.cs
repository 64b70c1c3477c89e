using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Governance;

/// <summary>Issue 4, points 1 and 2: joint association proposals (COMP-3) and the composition status (COMP-2, COMP-4).</summary>
public sealed class ProposalTests(DatabaseProvider provider) : ApiTest(provider)
{
    private async Task<Actor> MayorAsync(string commune) =>
        await ActorWithCommuneAsync("maire", commune[..2] is "2A" or "2B" ? commune[..2] : commune.StartsWith("97", StringComparison.Ordinal) ? commune[..3] : commune[..2], commune);

    private async Task<Actor> ActorWithCommuneAsync(string kind, string departement, string commune)
    {
        var organisationId = await Api.CreateOrganisationAsync(TestApi.UniqueCode(kind), kind, departement, commune);
        var (clientId, secret) = await Api.CreateClientAsync(organisationId, "governance", "exchange");
        return new Actor(organisationId, kind, clientId, secret, await Api.AsAsync(clientId, secret));
    }

    private static Task<HttpResponseMessage> ProposeAsync(Actor coChair, Guid instance, Guid organisationId) =>
        coChair.Http.PostAsJsonAsync($"/api/v1/instances/{instance}/association-proposals", new { organisationId, rationale = "Prévention de la récidive sur la commune" });

    [Test]
    public async Task COMP_3_a_mayor_of_the_zsp_joins_once_the_other_co_chair_cosigns_and_the_proposer_cannot_cosign()
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Centre", $"{d.Code}101", $"{d.Code}102");
        var mayor = await MayorAsync($"{d.Code}101");

        using var proposed = await ProposeAsync(d.Prefet, ccofsi, mayor.OrganisationId);
        var proposal = await Json.ReadAsync(proposed, HttpStatusCode.Created);
        Assert.That(proposal.GetProperty("status").GetString(), Is.EqualTo("awaiting-cosignature"));
        var pid = proposal.GetProperty("id").GetGuid();

        using (var bySelf = await d.Prefet.Http.PostAsync($"/api/v1/instances/{ccofsi}/association-proposals/{pid}/cosign", null))
        {
            await Json.RuleViolationAsync(bySelf, HttpStatusCode.Forbidden, "COMP-3");
        }
        using (var notYet = await mayor.Http.GetAsync($"/api/v1/instances/{ccofsi}"))
        {
            await Json.ProblemAsync(notYet, HttpStatusCode.NotFound);
        }
        using var cosigned = await d.Procureur.Http.PostAsync($"/api/v1/instances/{ccofsi}/association-proposals/{pid}/cosign", null);
        var accepted = await Json.ReadAsync(cosigned, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(accepted.GetProperty("status").GetString(), Is.EqualTo("accepted"));
            Assert.That(accepted.GetProperty("decidedByOrganisationId").GetGuid(), Is.EqualTo(d.Procureur.OrganisationId));
        });
        using (var member = await mayor.Http.GetAsync($"/api/v1/instances/{ccofsi}"))
        {
            await Json.ReadAsync(member, HttpStatusCode.OK);
        }
        using var again = await d.Procureur.Http.PostAsync($"/api/v1/instances/{ccofsi}/association-proposals/{pid}/cosign", null);
        await Json.ProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task COMP_3_either_co_chair_rejects_and_a_rejected_proposal_adds_no_one()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.CcofsiAsync("Rejet");
        var spip = await Api.ActorAsync("spip", d.Code);
        using var proposed = await ProposeAsync(d.Procureur, ems, spip.OrganisationId);
        var pid = (await Json.ReadAsync(proposed, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using (var duplicate = await ProposeAsync(d.Prefet, ems, spip.OrganisationId))
        {
            await Json.ProblemAsync(duplicate, HttpStatusCode.Conflict);
        }
        using var rejected = await d.Procureur.Http.PostAsync($"/api/v1/instances/{ems}/association-proposals/{pid}/reject", null);
        Assert.That((await Json.ReadAsync(rejected, HttpStatusCode.OK)).GetProperty("status").GetString(), Is.EqualTo("rejected"));
        using (var cosignLate = await d.Prefet.Http.PostAsync($"/api/v1/instances/{ems}/association-proposals/{pid}/cosign", null))
        {
            await Json.ProblemAsync(cosignLate, HttpStatusCode.Conflict);
        }
        using var members = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/members");
        Assert.That((await Json.ReadAsync(members, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("organisationId").GetGuid()),
            Does.Not.Contain(spip.OrganisationId));
    }

    [Test]
    public async Task COMP_3_a_mayor_outside_the_zsp_is_refused_and_an_ems_has_no_joint_proposal_route()
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Nord", $"{d.Code}201");
        var ems = await d.EmsAsync();
        var outsideZsp = await MayorAsync($"{d.Code}999");
        using (var zsp = await ProposeAsync(d.Prefet, ccofsi, outsideZsp.OrganisationId))
        {
            var problem = await Json.RuleViolationAsync(zsp, HttpStatusCode.UnprocessableEntity, "COMP-3");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("ZSP"));
        }
        using var toEms = await ProposeAsync(d.Prefet, ems, outsideZsp.OrganisationId);
        var refused = await Json.RuleViolationAsync(toEms, HttpStatusCode.UnprocessableEntity, "COMP-3");
        Assert.That(refused.GetProperty("detail").GetString(), Does.Contain("CCOFSI only"));
    }

    [TestCase("police-nationale", "COMP-2")]
    [TestCase("bailleur-social", "COMP-5")]
    [TestCase("jap", "COMP-3")]
    public async Task COMP_3_only_mayors_spip_pjj_and_state_administrations_go_by_joint_proposal(string kind, string ruleId)
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Voie " + kind);
        var organisation = await Api.ActorAsync(kind, d.Code);
        using var response = await ProposeAsync(d.Prefet, ccofsi, organisation.OrganisationId);
        await Json.RuleViolationAsync(response, HttpStatusCode.UnprocessableEntity, ruleId);
    }

    [Test]
    public async Task COMP_3_CONF_1_an_association_for_a_scope_until_a_date_ends_by_itself_and_its_holder_is_a_third_party_from_then_on()
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Gare");
        var spip = await Api.ActorAsync("spip", d.Code, "governance");
        var until = LegalDate(Api.Clock.GetUtcNow()).AddDays(10);
        using var proposed = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/association-proposals", new
        {
            organisationId = spip.OrganisationId, rationale = "Suivi des sortants de détention du quartier", scope = "Cellule de suivi des sortants", until = until.ToString("yyyy-MM-dd"),
        });
        var proposal = await Json.ReadAsync(proposed, HttpStatusCode.Created);
        Assert.That(proposal.GetProperty("scope").GetString(), Is.EqualTo("Cellule de suivi des sortants"));
        using (var cosigned = await d.Procureur.Http.PostAsync($"/api/v1/instances/{ccofsi}/association-proposals/{proposal.GetProperty("id").GetGuid()}/cosign", null))
        {
            await Json.ReadAsync(cosigned, HttpStatusCode.OK);
        }
        using (var member = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ccofsi}/members/{spip.OrganisationId}"))
        {
            Assert.That((await Json.ReadAsync(member, HttpStatusCode.OK)).GetProperty("endsAt").GetDateTimeOffset(), Is.GreaterThan(Api.Clock.GetUtcNow()));
        }
        using (var during = await spip.Http.GetAsync($"/api/v1/instances/{ccofsi}"))
        {
            await Json.ReadAsync(during, HttpStatusCode.OK);
        }
        Api.Clock.Advance(TimeSpan.FromDays(11));
        using (var after = await spip.Http.GetAsync($"/api/v1/instances/{ccofsi}"))
        {
            await Json.ProblemAsync(after, HttpStatusCode.NotFound);
        }
        using var members = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ccofsi}/members");
        Assert.That((await Json.ReadAsync(members, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("organisationId").GetGuid()),
            Does.Not.Contain(spip.OrganisationId));
        using var tooLong = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/association-proposals", new
        {
            organisationId = spip.OrganisationId, rationale = "x", scope = new string('s', 501),
        });
        var problem = await Json.ProblemAsync(tooLong, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("scope", out _), Is.True);
    }

    private static DateOnly LegalDate(DateTimeOffset instant) => EtatMajor.SharedKernel.Law.LegalCalendar.DateOf(instant);

    [Test]
    public async Task COMP_3_a_dasen_joins_a_ccofsi_by_joint_proposal_as_another_state_administration()
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Est");
        var dasen = await Api.ActorAsync("education-nationale", d.Code);
        using var proposed = await ProposeAsync(d.Procureur, ccofsi, dasen.OrganisationId);
        var pid = (await Json.ReadAsync(proposed, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using var cosigned = await d.Prefet.Http.PostAsync($"/api/v1/instances/{ccofsi}/association-proposals/{pid}/cosign", null);
        await Json.ReadAsync(cosigned, HttpStatusCode.OK);
    }

    [Test]
    public async Task Proposals_are_read_by_co_chairs_and_administrators_only()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.CcofsiAsync("Lecture");
        var police = await Api.ActorAsync("police-nationale", d.Code, "governance");
        await d.AddAsync(ems, police);
        var pjj = await Api.ActorAsync("pjj", d.Code);
        using (var proposed = await ProposeAsync(d.Prefet, ems, pjj.OrganisationId))
        {
            await Json.ReadAsync(proposed, HttpStatusCode.Created);
        }
        using (var byCoChair = await d.Procureur.Http.GetAsync($"/api/v1/instances/{ems}/association-proposals"))
        {
            Assert.That((await Json.ReadAsync(byCoChair, HttpStatusCode.OK)).GetProperty("items").GetArrayLength(), Is.EqualTo(1));
        }
        using (var byAdmin = await (await Api.AdminAsync()).GetAsync($"/api/v1/instances/{ems}/association-proposals"))
        {
            await Json.ReadAsync(byAdmin, HttpStatusCode.OK);
        }
        using (var byMember = await police.Http.GetAsync($"/api/v1/instances/{ems}/association-proposals"))
        {
            await Json.ProblemAsync(byMember, HttpStatusCode.Forbidden);
        }
        var stranger = await Departement.CreateAsync(Api);
        using var byStranger = await stranger.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/association-proposals");
        await Json.ProblemAsync(byStranger, HttpStatusCode.NotFound);
        using var proposeAsStranger = await ProposeAsync(stranger.Prefet, ems, pjj.OrganisationId);
        await Json.ProblemAsync(proposeAsStranger, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task COMP_2_COMP_4_the_instance_reports_its_composition()
    {
        var d = await Departement.CreateAsync(Api);
        var ccofsi = await d.CcofsiAsync("Ouest");
        var ems = await d.EmsAsync();
        var police = await Api.ActorAsync("police-nationale", d.Code);
        await d.AddAsync(ccofsi, police);
        await d.AddParticipantAsync(ems, police);

        using var ccofsiRead = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ccofsi}");
        var composition = (await Json.ReadAsync(ccofsiRead, HttpStatusCode.OK)).GetProperty("composition");
        Assert.Multiple(() =>
        {
            Assert.That(composition.GetProperty("complete").GetBoolean(), Is.False);
            Assert.That(composition.GetProperty("missing").EnumerateArray().Select(k => k.GetString()), Is.EquivalentTo(new[] { "gendarmerie-nationale", "douanes" }));
        });
        await d.AddAsync(ccofsi, await Api.ActorAsync("gendarmerie-nationale", d.Code));
        await d.AddAsync(ccofsi, await Api.ActorAsync("douanes", d.Code));
        using var complete = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ccofsi}");
        Assert.That((await Json.ReadAsync(complete, HttpStatusCode.OK)).GetProperty("composition").GetProperty("complete").GetBoolean(), Is.True);

        using var emsRead = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}");
        var emsComposition = (await Json.ReadAsync(emsRead, HttpStatusCode.OK)).GetProperty("composition");
        Assert.Multiple(() =>
        {
            Assert.That(emsComposition.GetProperty("complete").GetBoolean(), Is.True, "COMP-4 warns, it does not deny");
            var warnings = emsComposition.GetProperty("warnings").EnumerateArray().ToList();
            Assert.That(warnings.Select(w => w.GetProperty("kind").GetString()), Is.EquivalentTo(new[] { "gendarmerie-nationale", "douanes", "education-nationale", "finances-publiques" }));
            Assert.That(warnings.Select(w => w.GetProperty("ruleId").GetString()), Is.All.EqualTo("COMP-4"));
            Assert.That(emsComposition.GetProperty("missingParticipants").GetArrayLength(), Is.EqualTo(4));
        });
    }
}
