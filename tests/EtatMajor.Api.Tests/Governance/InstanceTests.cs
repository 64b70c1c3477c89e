using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Governance;

/// <summary>Issue 2, point 7: instances (EMS, CCOFSI) and their membership, with the rule ids COMP-1..5.</summary>
public sealed class InstanceTests(DatabaseProvider provider) : ApiTest(provider)
{
    /// <summary>A département with its préfet and procureur, each with a governance client.</summary>
    private async Task<(string Departement, Actor Prefet, Actor Procureur)> CoChairsAsync()
    {
        var departement = TestApi.FreshDepartement();
        return (departement, await Api.ActorAsync("prefet", departement, "governance"), await Api.ActorAsync("procureur", departement, "governance"));
    }

    private static object Ems(string departement, Actor prefet, Actor procureur) => new
    {
        kind = "ems", departement, name = $"EMS {departement}", prefetOrganisationId = prefet.OrganisationId, procureurOrganisationId = procureur.OrganisationId,
    };

    private static object Ccofsi(string departement, Actor prefet, Actor procureur, string zsp) => new
    {
        kind = "ccofsi", departement, name = $"CCOFSI {zsp}", prefetOrganisationId = prefet.OrganisationId, procureurOrganisationId = procureur.OrganisationId,
        zsp = new { name = zsp, communes = new[] { $"{departement}001", $"{departement}002" } },
    };

    private async Task<Guid> CreateEmsAsync(string departement, Actor prefet, Actor procureur)
    {
        using var response = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ems(departement, prefet, procureur));
        return (await Json.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    [Test]
    public async Task COMP_1_an_administrator_creates_an_ems_whose_co_chairs_are_members_from_creation()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        using var created = await (await Api.AdminAsync()).PostAsJsonAsync("/api/v1/instances", Ems(departement, prefet, procureur));
        var instance = await Json.ReadAsync(created, HttpStatusCode.Created);
        Assert.That(created.Headers.Location!.ToString(), Does.EndWith(instance.GetProperty("id").GetString()!));

        using var members = await procureur.Http.GetAsync($"/api/v1/instances/{instance.GetProperty("id").GetGuid()}/members");
        var list = (await Json.ReadAsync(members, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(instance.GetProperty("kind").GetString(), Is.EqualTo("ems"));
            Assert.That(instance.GetProperty("zsp").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(list.Select(m => m.GetProperty("organisationId").GetGuid()), Is.EquivalentTo(new[] { prefet.OrganisationId, procureur.OrganisationId }));
            Assert.That(list.Select(m => m.GetProperty("role").GetString()), Is.All.EqualTo("co-chair"));
        });
    }

    [Test]
    public async Task COMP_1_one_ems_per_departement_a_second_one_gives_409()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        await CreateEmsAsync(departement, prefet, procureur);
        using var again = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ems(departement, prefet, procureur));
        await Json.ProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task COMP_1_co_chairs_must_be_a_prefet_and_a_procureur_of_the_departement()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        var police = await Api.ActorAsync("police-nationale", departement);
        var admin = await Api.AdminAsync();
        using var wrongKind = await admin.PostAsJsonAsync("/api/v1/instances", Ems(departement, prefet, police));
        var problem = await Json.RuleViolationAsync(wrongKind, HttpStatusCode.UnprocessableEntity, "COMP-1");
        Assert.That(problem.GetProperty("legalBasis").GetString(), Does.Contain("R132-6-1"));

        var otherProcureur = await Api.ActorAsync("procureur", TestApi.FreshDepartement());
        using var otherDepartement = await admin.PostAsJsonAsync("/api/v1/instances", Ems(departement, prefet, otherProcureur));
        await Json.RuleViolationAsync(otherDepartement, HttpStatusCode.UnprocessableEntity, "COMP-1");
    }

    [Test]
    public async Task COMP_2_a_ccofsi_requires_its_zsp_and_an_ems_refuses_one()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        using var noZsp = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ccofsi", departement, name = "CCOFSI", prefetOrganisationId = prefet.OrganisationId, procureurOrganisationId = procureur.OrganisationId,
        });
        var problem = await Json.ProblemAsync(noZsp, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("zsp")[0].GetString(), Does.Contain("COMP-2"));

        using var emsWithZsp = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ems", departement, name = "EMS", prefetOrganisationId = prefet.OrganisationId, procureurOrganisationId = procureur.OrganisationId,
            zsp = new { name = "ZSP", communes = new[] { $"{departement}001" } },
        });
        await Json.ProblemAsync(emsWithZsp, HttpStatusCode.BadRequest);

        using var foreignCommune = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ccofsi", departement, name = "CCOFSI", prefetOrganisationId = prefet.OrganisationId, procureurOrganisationId = procureur.OrganisationId,
            zsp = new { name = "ZSP", communes = new[] { departement == "75" ? "13055" : "75056" } },
        });
        var foreign = await Json.ProblemAsync(foreignCommune, HttpStatusCode.BadRequest);
        Assert.That(foreign.GetProperty("errors").TryGetProperty("zsp.communes[0]", out _), Is.True, foreign.ToString());
    }

    [Test]
    public async Task The_prefet_of_the_departement_creates_a_ccofsi_and_another_prefet_cannot()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, "Quartiers Nord"));
        var instance = await Json.ReadAsync(created, HttpStatusCode.Created);
        Assert.That(instance.GetProperty("zsp").GetProperty("communes").GetArrayLength(), Is.EqualTo(2));

        using var sameZsp = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, "Quartiers Nord"));
        await Json.ProblemAsync(sameZsp, HttpStatusCode.Conflict);

        var otherPrefet = await Api.ActorAsync("prefet", TestApi.FreshDepartement(), "governance");
        using var foreign = await otherPrefet.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, "Centre"));
        await Json.ProblemAsync(foreign, HttpStatusCode.Forbidden);

        using var procureurCreates = await procureur.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, "Centre"));
        await Json.ProblemAsync(procureurCreates, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task An_instance_is_visible_to_its_members_and_administrators_and_a_stranger_gets_404()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        var id = await CreateEmsAsync(departement, prefet, procureur);
        var stranger = await Api.ActorAsync("police-nationale", departement, "governance");

        using (var asMember = await procureur.Http.GetAsync($"/api/v1/instances/{id}"))
        {
            await Json.ReadAsync(asMember, HttpStatusCode.OK);
        }
        using (var asAdmin = await (await Api.AdminAsync()).GetAsync($"/api/v1/instances/{id}"))
        {
            await Json.ReadAsync(asAdmin, HttpStatusCode.OK);
        }
        using (var asStranger = await stranger.Http.GetAsync($"/api/v1/instances/{id}"))
        {
            await Json.ProblemAsync(asStranger, HttpStatusCode.NotFound);
        }
        using (var membersAsStranger = await stranger.Http.GetAsync($"/api/v1/instances/{id}/members"))
        {
            await Json.ProblemAsync(membersAsStranger, HttpStatusCode.NotFound);
        }
        using var list = await stranger.Http.GetAsync("/api/v1/instances");
        var page = await Json.ReadAsync(list, HttpStatusCode.OK);
        Assert.That(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()), Does.Not.Contain(id));
        using var mine = await prefet.Http.GetAsync("/api/v1/instances");
        var prefetPage = await Json.ReadAsync(mine, HttpStatusCode.OK);
        Assert.That(prefetPage.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()), Does.Contain(id));
    }

    [TestCase("police-nationale")]
    [TestCase("gendarmerie-nationale")]
    [TestCase("douanes")]
    public async Task COMP_2_a_co_chair_associates_the_forces_by_right(string kind)
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, "ZSP " + kind));
        var id = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var force = await Api.ActorAsync(kind, departement, "exchange");
        using var added = await procureur.Http.PostAsJsonAsync($"/api/v1/instances/{id}/members", new { organisationId = force.OrganisationId });
        var member = await Json.ReadAsync(added, HttpStatusCode.Created);
        Assert.That(member.GetProperty("role").GetString(), Is.EqualTo("member"));
        using var read = await force.Http.GetAsync(added.Headers.Location);
        await Json.ReadAsync(read, HttpStatusCode.OK);
        using var again = await procureur.Http.PostAsJsonAsync($"/api/v1/instances/{id}/members", new { organisationId = force.OrganisationId });
        await Json.ProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task COMP_1_an_ems_of_a_departement_with_two_tribunaux_has_two_procureurs_both_co_chairs()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        var second = await Api.ActorAsync("procureur", departement, "governance");
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ems", departement, name = $"EMS {departement}", prefetOrganisationId = prefet.OrganisationId,
            procureurOrganisationIds = new[] { procureur.OrganisationId, second.OrganisationId },
        });
        var ems = await Json.ReadAsync(created, HttpStatusCode.Created);
        var id = ems.GetProperty("id").GetGuid();
        Assert.That(ems.GetProperty("procureurOrganisationIds").EnumerateArray().Select(p => p.GetGuid()),
            Is.EqualTo(new[] { procureur.OrganisationId, second.OrganisationId }));

        // The second procureur co-chairs: it changes the composition as the first one does.
        var third = await Api.ActorAsync("procureur", departement, "governance");
        using (var added = await second.Http.PostAsJsonAsync($"/api/v1/instances/{id}/members", new { organisationId = third.OrganisationId }))
        {
            Assert.That((await Json.ReadAsync(added, HttpStatusCode.Created)).GetProperty("role").GetString(), Is.EqualTo("co-chair"));
        }
        var foreign = await Api.ActorAsync("procureur", TestApi.FreshDepartement(), "governance");
        using (var elsewhere = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{id}/members", new { organisationId = foreign.OrganisationId }))
        {
            await Json.RuleViolationAsync(elsewhere, HttpStatusCode.UnprocessableEntity, "COMP-1");
        }
        using (var members = await third.Http.GetAsync($"/api/v1/instances/{id}/members"))
        {
            var list = (await Json.ReadAsync(members, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
            Assert.That(list.Select(m => m.GetProperty("role").GetString()), Is.All.EqualTo("co-chair"));
            Assert.That(list, Has.Count.EqualTo(4));
        }
        // A procureur may leave while another remains; the last one and the préfet may not.
        using (var leaves = await prefet.Http.DeleteAsync($"/api/v1/instances/{id}/members/{third.OrganisationId}"))
        {
            Assert.That(leaves.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        using (var leaves = await prefet.Http.DeleteAsync($"/api/v1/instances/{id}/members/{second.OrganisationId}"))
        {
            Assert.That(leaves.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        using var last = await prefet.Http.DeleteAsync($"/api/v1/instances/{id}/members/{procureur.OrganisationId}");
        await Json.RuleViolationAsync(last, HttpStatusCode.UnprocessableEntity, "COMP-1");
    }

    [TestCase("police-nationale")]
    [TestCase("gendarmerie-nationale")]
    [TestCase("education-nationale")]
    [TestCase("finances-publiques")]
    [TestCase("douanes")]
    public async Task COMP_1_COMP_4_the_services_the_circulaire_names_take_part_in_an_ems_as_participants_never_as_members(string kind)
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        var ems = await CreateEmsAsync(departement, prefet, procureur);
        var service = await Api.ActorAsync(kind, departement, "governance");
        using (var asMember = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/members", new { organisationId = service.OrganisationId }))
        {
            var problem = await Json.RuleViolationAsync(asMember, HttpStatusCode.UnprocessableEntity, "COMP-1");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("/participants").And.Contain("follow-up"));
        }
        using (var added = await procureur.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/participants", new { organisationId = service.OrganisationId }))
        {
            var participant = await Json.ReadAsync(added, HttpStatusCode.Created);
            Assert.That(participant.GetProperty("kind").GetString(), Is.EqualTo(kind));
        }
        using (var again = await procureur.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/participants", new { organisationId = service.OrganisationId }))
        {
            await Json.ProblemAsync(again, HttpStatusCode.Conflict);
        }
        using (var read = await prefet.Http.GetAsync($"/api/v1/instances/{ems}"))
        {
            var composition = (await Json.ReadAsync(read, HttpStatusCode.OK)).GetProperty("composition");
            var missing = composition.GetProperty("missingParticipants").EnumerateArray().Select(k => k.GetString()).ToList();
            Assert.That(missing, Does.Not.Contain(kind));
            Assert.That(missing, Has.Count.EqualTo(4));
            Assert.That(composition.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("ruleId").GetString()), Is.All.EqualTo("COMP-4"));
        }
        // A participant is not a member: the instance stays unknown to it.
        using (var asParticipant = await service.Http.GetAsync($"/api/v1/instances/{ems}"))
        {
            await Json.ProblemAsync(asParticipant, HttpStatusCode.NotFound);
        }
        using (var list = await prefet.Http.GetAsync($"/api/v1/instances/{ems}/participants"))
        {
            Assert.That((await Json.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("organisationId").GetGuid()),
                Is.EqualTo(new[] { service.OrganisationId }));
        }
        using (var removed = await prefet.Http.DeleteAsync($"/api/v1/instances/{ems}/participants/{service.OrganisationId}"))
        {
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        using var gone = await prefet.Http.DeleteAsync($"/api/v1/instances/{ems}/participants/{service.OrganisationId}");
        await Json.ProblemAsync(gone, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task COMP_4_departmental_services_take_part_in_their_own_departement_only_douanes_may_come_from_elsewhere()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        var ems = await CreateEmsAsync(departement, prefet, procureur);
        var elsewhere = TestApi.FreshDepartement();
        var police = await Api.ActorAsync("police-nationale", elsewhere);
        using (var refused = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/participants", new { organisationId = police.OrganisationId }))
        {
            var problem = await Json.RuleViolationAsync(refused, HttpStatusCode.UnprocessableEntity, "COMP-4");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(elsewhere));
        }
        var douanes = await Api.ActorAsync("douanes", elsewhere);
        using (var regional = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/participants", new { organisationId = douanes.OrganisationId }))
        {
            await Json.ReadAsync(regional, HttpStatusCode.Created);
        }
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, "ZSP territoire"));
        var ccofsi = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using (var member = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/members", new { organisationId = police.OrganisationId }))
        {
            await Json.RuleViolationAsync(member, HttpStatusCode.UnprocessableEntity, "COMP-2");
        }
        using var participantsOfCcofsi = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/participants", new { organisationId = douanes.OrganisationId });
        await Json.RuleViolationAsync(participantsOfCcofsi, HttpStatusCode.UnprocessableEntity, "COMP-4");
    }

    [Test]
    public async Task COMP_2_a_ccofsi_of_a_police_only_zsp_is_complete_with_the_police_and_takes_no_other_force()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", new
        {
            kind = "ccofsi", departement, name = "CCOFSI centre-ville", prefetOrganisationId = prefet.OrganisationId, procureurOrganisationIds = new[] { procureur.OrganisationId },
            zsp = new { name = "Centre-ville", communes = new[] { $"{departement}001" }, forces = new[] { "police-nationale" } },
        });
        var ccofsi = await Json.ReadAsync(created, HttpStatusCode.Created);
        var id = ccofsi.GetProperty("id").GetGuid();
        Assert.That(ccofsi.GetProperty("zsp").GetProperty("forces").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "police-nationale" }));
        var police = await Api.ActorAsync("police-nationale", departement);
        using (var added = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{id}/members", new { organisationId = police.OrganisationId }))
        {
            await Json.ReadAsync(added, HttpStatusCode.Created);
        }
        using (var read = await prefet.Http.GetAsync($"/api/v1/instances/{id}"))
        {
            var composition = (await Json.ReadAsync(read, HttpStatusCode.OK)).GetProperty("composition");
            Assert.That(composition.GetProperty("complete").GetBoolean(), Is.True);
            Assert.That(composition.GetProperty("missing").GetArrayLength(), Is.Zero);
        }
        var gendarmerie = await Api.ActorAsync("gendarmerie-nationale", departement);
        using var notIntervening = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{id}/members", new { organisationId = gendarmerie.OrganisationId });
        await Json.RuleViolationAsync(notIntervening, HttpStatusCode.UnprocessableEntity, "COMP-2");
    }

    [TestCase("maire", "COMP-3")]
    [TestCase("spip", "COMP-3")]
    [TestCase("pjj", "COMP-3")]
    [TestCase("administration-etat", "COMP-3")]
    [TestCase("education-nationale", "COMP-3")]
    [TestCase("jap", "COMP-3")]
    [TestCase("bailleur-social", "COMP-5")]
    [TestCase("transporteur-public", "COMP-5")]
    [TestCase("prefet", "COMP-2")]
    public async Task COMP_2_COMP_3_COMP_5_other_kinds_cannot_be_added_directly_to_a_ccofsi(string kind, string ruleId)
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, "ZSP " + kind));
        var ccofsi = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var organisation = await Api.ActorAsync(kind, departement);
        using var response = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/members", new { organisationId = organisation.OrganisationId });
        var problem = await Json.RuleViolationAsync(response, HttpStatusCode.UnprocessableEntity, ruleId);
        if (kind == "maire")
        {
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("association-proposals"));
        }
        using var members = await prefet.Http.GetAsync($"/api/v1/instances/{ccofsi}/members");
        var list = await Json.ReadAsync(members, HttpStatusCode.OK);
        Assert.That(list.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("organisationId").GetGuid()), Does.Not.Contain(organisation.OrganisationId));
    }

    [Test]
    public async Task Only_co_chairs_change_the_composition_a_member_gets_403_and_a_stranger_404()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, "ZSP composition"));
        var ccofsi = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var police = await Api.ActorAsync("police-nationale", departement, "governance");
        using (var added = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/members", new { organisationId = police.OrganisationId }))
        {
            await Json.ReadAsync(added, HttpStatusCode.Created);
        }
        var gendarmerie = await Api.ActorAsync("gendarmerie-nationale", departement, "governance");
        var otherPrefet = await Api.ActorAsync("prefet", TestApi.FreshDepartement(), "governance");

        // The police is a member but not a co-chair: allowed to know the instance, not to change it.
        using var byMember = await police.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/members", new { organisationId = gendarmerie.OrganisationId });
        await Json.ProblemAsync(byMember, HttpStatusCode.Forbidden);
        using var byStranger = await otherPrefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/members", new { organisationId = gendarmerie.OrganisationId });
        await Json.ProblemAsync(byStranger, HttpStatusCode.NotFound);
        using var removeByStranger = await otherPrefet.Http.DeleteAsync($"/api/v1/instances/{ccofsi}/members/{police.OrganisationId}");
        await Json.ProblemAsync(removeByStranger, HttpStatusCode.NotFound);
        using var participantByStranger = await otherPrefet.Http.GetAsync($"/api/v1/instances/{ccofsi}/participants");
        await Json.ProblemAsync(participantByStranger, HttpStatusCode.NotFound);
        using var unknownOrganisation = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/members", new { organisationId = Guid.NewGuid() });
        await Json.ProblemAsync(unknownOrganisation, HttpStatusCode.UnprocessableEntity);
        using var unknownInstance = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{Guid.NewGuid()}/members", new { organisationId = police.OrganisationId });
        await Json.ProblemAsync(unknownInstance, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_removed_member_is_a_third_party_from_that_moment_and_a_co_chair_cannot_be_removed()
    {
        var (departement, prefet, procureur) = await CoChairsAsync();
        using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, "ZSP removal"));
        var ccofsi = (await Json.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var douanes = await Api.ActorAsync("douanes", departement, "governance");
        using (var added = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/members", new { organisationId = douanes.OrganisationId }))
        {
            await Json.ReadAsync(added, HttpStatusCode.Created);
        }
        using (var visible = await douanes.Http.GetAsync($"/api/v1/instances/{ccofsi}"))
        {
            await Json.ReadAsync(visible, HttpStatusCode.OK);
        }
        using (var removed = await procureur.Http.DeleteAsync($"/api/v1/instances/{ccofsi}/members/{douanes.OrganisationId}"))
        {
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        using (var gone = await douanes.Http.GetAsync($"/api/v1/instances/{ccofsi}"))
        {
            await Json.ProblemAsync(gone, HttpStatusCode.NotFound);
        }
        using (var twice = await procureur.Http.DeleteAsync($"/api/v1/instances/{ccofsi}/members/{douanes.OrganisationId}"))
        {
            await Json.ProblemAsync(twice, HttpStatusCode.NotFound);
        }
        using var coChair = await procureur.Http.DeleteAsync($"/api/v1/instances/{ccofsi}/members/{prefet.OrganisationId}");
        await Json.RuleViolationAsync(coChair, HttpStatusCode.UnprocessableEntity, "COMP-1");

        // Re-association after a removal is a new membership.
        using var back = await prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ccofsi}/members", new { organisationId = douanes.OrganisationId });
        await Json.ReadAsync(back, HttpStatusCode.Created);
    }

    [Test]
    public async Task Instances_are_paged_with_a_cursor()
    {
        var admin = await Api.AdminAsync();
        var (departement, prefet, procureur) = await CoChairsAsync();
        for (var i = 0; i < 3; i++)
        {
            using var created = await prefet.Http.PostAsJsonAsync("/api/v1/instances", Ccofsi(departement, prefet, procureur, $"ZSP page {i}"));
            await Json.ReadAsync(created, HttpStatusCode.Created);
        }
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            using var response = await prefet.Http.GetAsync($"/api/v1/instances?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            var page = await Json.ReadAsync(response, HttpStatusCode.OK);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.That(ids, Has.Count.EqualTo(3).And.Unique);
        using var all = await admin.GetAsync("/api/v1/instances?limit=500");
        await Json.ReadAsync(all, HttpStatusCode.OK);
        var notOurs = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("not-a-key")).TrimEnd('=');
        using var badCursor = await prefet.Http.GetAsync($"/api/v1/instances?cursor={notOurs}");
        await Json.ProblemAsync(badCursor, HttpStatusCode.BadRequest);
    }
}
