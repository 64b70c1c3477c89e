using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.Modules.Governance.Domain;
using EtatMajor.Modules.Governance.Features.CreateClient;
using EtatMajor.Modules.Governance.Features.CreateInstance;
using EtatMajor.Modules.Governance.Features.CreateOrganisation;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Law;
using EtatMajor.SharedKernel.Validation;

namespace EtatMajor.Modules.Governance.Tests;

public sealed class TerritoryTests
{
    [TestCase("01")]
    [TestCase("19")]
    [TestCase("21")]
    [TestCase("95")]
    [TestCase("2A")]
    [TestCase("2B")]
    [TestCase("971")]
    [TestCase("976")]
    public void French_departements_are_accepted(string code) => Assert.That(Territory.IsDepartement(code), Is.True);

    [TestCase("00")]
    [TestCase("20")]
    [TestCase("96")]
    [TestCase("2C")]
    [TestCase("2a")]
    [TestCase("970")]
    [TestCase("977")]
    [TestCase("1")]
    [TestCase("")]
    [TestCase(null)]
    public void Other_codes_are_refused(string? code) => Assert.That(Territory.IsDepartement(code), Is.False);

    [TestCase("33063", "33", true)]
    [TestCase("2A004", "2A", true)]
    [TestCase("97411", "974", true)]
    [TestCase("97411", "97", false)]
    [TestCase("13055", "33", false)]
    public void A_commune_belongs_to_the_departement_its_code_begins_with(string commune, string departement, bool expected) =>
        Assert.That(Territory.IsCommuneInsee(commune) && Territory.CommuneIsIn(commune, departement), Is.EqualTo(expected));

    [TestCase("3306")]
    [TestCase("330631")]
    [TestCase("2C004")]
    [TestCase("ABCDE")]
    public void Malformed_commune_codes_are_refused(string commune) => Assert.That(Territory.IsCommuneInsee(commune), Is.False);
}

public sealed class SecretHasherTests
{
    [Test]
    public void A_secret_verifies_against_its_own_hash_only()
    {
        var secret = SecretHasher.NewSecret();
        var hash = SecretHasher.Hash(secret);
        Assert.Multiple(() =>
        {
            Assert.That(secret, Has.Length.GreaterThanOrEqualTo(43), "256 random bits");
            Assert.That(hash, Does.StartWith("pbkdf2-sha256$100000$"));
            Assert.That(hash, Does.Not.Contain(secret));
            Assert.That(SecretHasher.Verify(secret, hash), Is.True);
            Assert.That(SecretHasher.Verify(secret + "x", hash), Is.False);
            Assert.That(SecretHasher.Hash(secret), Is.Not.EqualTo(hash), "salted");
            Assert.That(SecretHasher.Verify(secret, null), Is.False, "an unknown client never verifies");
            Assert.That(SecretHasher.Verify(secret, "plain-text"), Is.False);
        });
    }
}

public sealed class MembershipTests
{
    private static InstanceRow Instance(InstanceKind kind, string? forces = "police-nationale gendarmerie-nationale douanes") => new()
    {
        Kind = kind.ToKebab(), Departement = "33", ZspForces = kind == InstanceKind.Ccofsi ? forces : null,
    };

    private static OrganisationRow Organisation(OrganisationKind kind, string? departement) => new() { Kind = kind.ToKebab(), Departement = departement };

    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Procureur, null)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.PoliceNationale, "COMP-1")]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.EducationNationale, "COMP-1")]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Maire, "COMP-1")]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Prefet, "COMP-1")]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.BailleurSocial, "COMP-5")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.PoliceNationale, null)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Douanes, null)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Procureur, "COMP-2")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Spip, "COMP-3")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.FinancesPubliques, "COMP-3")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Auditeur, "COMP-3")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.TransporteurPublic, "COMP-5")]
    public void COMP_1_COMP_2_COMP_3_COMP_5_who_is_added_as_a_member_and_every_refusal_names_its_rule(string instance, OrganisationKind kind, string? ruleId)
    {
        var admission = Membership.AsMember(Instance(Enum.Parse<InstanceKind>(instance)), kind);
        Assert.Multiple(() =>
        {
            Assert.That(admission.Allowed, Is.EqualTo(ruleId is null));
            Assert.That(admission.Rule?.Id, Is.EqualTo(ruleId));
            Assert.That(admission.Detail is null || admission.Detail.Length > 0);
        });
    }

    [Test]
    public void COMP_1_an_ems_refusal_names_the_participant_and_follow_up_routes()
    {
        var admission = Membership.AsMember(Instance(InstanceKind.Ems), OrganisationKind.GendarmerieNationale);
        Assert.That(admission.Detail, Does.Contain("/participants").And.Contain("follow-up"));
    }

    [Test]
    public void COMP_2_a_ccofsi_takes_as_members_only_the_forces_declared_in_its_zsp()
    {
        var policeOnly = Instance(InstanceKind.Ccofsi, "police-nationale");
        Assert.Multiple(() =>
        {
            Assert.That(Membership.AsMember(policeOnly, OrganisationKind.PoliceNationale).Allowed, Is.True);
            Assert.That(Membership.AsMember(policeOnly, OrganisationKind.GendarmerieNationale).Rule?.Id, Is.EqualTo("COMP-2"));
        });
    }

    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.PoliceNationale, null)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.GendarmerieNationale, null)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.EducationNationale, null)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.FinancesPubliques, null)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Douanes, null)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Maire, "COMP-4")]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.BailleurSocial, "COMP-4")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.PoliceNationale, "COMP-4")]
    public void COMP_4_who_takes_part_in_the_steering_meetings_of_an_ems(string instance, OrganisationKind kind, string? ruleId) =>
        Assert.That(Membership.AsParticipant(Instance(Enum.Parse<InstanceKind>(instance)), kind).Rule?.Id, Is.EqualTo(ruleId));

    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Maire, "COMP-3")]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Spip, "COMP-3")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Maire, null)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.EducationNationale, null)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Pjj, null)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.AdministrationEtat, null)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.PoliceNationale, "COMP-2")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.BailleurSocial, "COMP-5")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Jap, "COMP-3")]
    public void COMP_3_joint_proposals_exist_for_a_ccofsi_only(string instance, OrganisationKind kind, string? ruleId) =>
        Assert.That(Membership.ByProposal(Instance(Enum.Parse<InstanceKind>(instance)), kind).Rule?.Id, Is.EqualTo(ruleId));

    [TestCase(OrganisationKind.PoliceNationale, "75", false)]
    [TestCase(OrganisationKind.GendarmerieNationale, "33", true)]
    [TestCase(OrganisationKind.EducationNationale, "64", false)]
    [TestCase(OrganisationKind.FinancesPubliques, "64", false)]
    [TestCase(OrganisationKind.Douanes, "64", true)]
    [TestCase(OrganisationKind.AdministrationEtat, null, true)]
    public void Departmental_services_join_an_instance_of_their_own_departement_only(OrganisationKind kind, string? departement, bool allowed) =>
        Assert.That(Membership.Territory(Instance(InstanceKind.Ems), Organisation(kind, departement), LegalRules.Comp4).Allowed, Is.EqualTo(allowed));
}

public sealed class CompositionTests
{
    [Test]
    public void COMP_2_a_ccofsi_without_its_declared_forces_is_incomplete_and_says_which_are_missing()
    {
        var all = new InstanceRow { Kind = "ccofsi", ZspForces = "police-nationale gendarmerie-nationale douanes" };
        var composition = Composition.Of(all, [OrganisationKind.Prefet, OrganisationKind.Procureur, OrganisationKind.Douanes], []);
        Assert.Multiple(() =>
        {
            Assert.That(composition.Complete, Is.False);
            Assert.That(composition.Missing, Is.EqualTo(new[] { OrganisationKind.PoliceNationale, OrganisationKind.GendarmerieNationale }));
            Assert.That(composition.Warnings, Is.Empty);
            Assert.That(composition.MissingParticipants, Is.Null);
        });
        Assert.That(Composition.Of(all, [.. Membership.Forces], []).Complete, Is.True);
        var policeOnly = new InstanceRow { Kind = "ccofsi", ZspForces = "police-nationale" };
        Assert.That(Composition.Of(policeOnly, [OrganisationKind.Prefet, OrganisationKind.Procureur, OrganisationKind.PoliceNationale], []).Complete, Is.True,
            "a police-only ZSP is complete with the police");
    }

    [Test]
    public void COMP_4_an_ems_missing_a_participant_of_the_circulaire_carries_a_warning_not_a_denial()
    {
        var composition = Composition.Of(new InstanceRow { Kind = "ems" }, [OrganisationKind.Prefet, OrganisationKind.Procureur],
            [OrganisationKind.PoliceNationale]);
        var expected = new[]
        {
            OrganisationKind.GendarmerieNationale, OrganisationKind.EducationNationale, OrganisationKind.FinancesPubliques, OrganisationKind.Douanes,
        };
        Assert.Multiple(() =>
        {
            Assert.That(composition.Complete, Is.True);
            Assert.That(composition.MissingParticipants, Is.EqualTo(expected));
            Assert.That(composition.Warnings.Select(w => w.Kind), Is.EqualTo(expected));
            Assert.That(composition.Warnings.Select(w => w.RuleId), Is.All.EqualTo("COMP-4"));
        });
    }
}

public sealed class ValidatorTests
{
    private static IReadOnlyDictionary<string, string[]> Errors<T>(IValidator<T> validator, T request)
    {
        var errors = new ValidationErrors();
        validator.Validate(request, errors);
        return errors.ToDictionary();
    }

    [Test]
    public void An_organisation_without_anything_lists_every_missing_field()
    {
        var errors = Errors(new CreateOrganisationValidator(), new CreateOrganisation(null, null, null, null, null));
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "code", "name", "kind", "departement" }));
    }

    [Test]
    public void National_bodies_need_no_departement()
    {
        var errors = Errors(new CreateOrganisationValidator(), new CreateOrganisation("cnil", "CNIL", OrganisationKind.Auditeur, null, null));
        Assert.That(errors, Is.Empty);
    }

    [TestCase("has space")]
    [TestCase("-starts-with-dash")]
    [TestCase("é")]
    public void Codes_are_simple_identifiers(string code)
    {
        var errors = Errors(new CreateOrganisationValidator(), new CreateOrganisation(code, "x", OrganisationKind.Douanes, "59", null));
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "code" }));
    }

    [Test]
    public void A_ccofsi_zsp_is_bounded_and_its_communes_distinct_and_of_the_departement()
    {
        var tooMany = Enumerable.Range(0, CreateInstanceValidator.MaxCommunes + 1).Select(i => $"13{i % 1000:000}").ToArray();
        var request = new CreateInstance(InstanceKind.Ccofsi, "13", "CCOFSI", Guid.NewGuid(), Guid.NewGuid(), null, new ZspInput("ZSP", tooMany, null));
        Assert.That(Errors(new CreateInstanceValidator(), request).Keys, Does.Contain("zsp.communes"));
        var duplicate = request with { Zsp = new ZspInput("ZSP", ["13001", "13001"], null) };
        Assert.That(Errors(new CreateInstanceValidator(), duplicate).Keys, Does.Contain("zsp.communes"));
        var fine = request with { Zsp = new ZspInput("ZSP", ["13001", "13055"], null) };
        Assert.That(Errors(new CreateInstanceValidator(), fine), Is.Empty);
        var forces = request with { Zsp = new ZspInput("ZSP", ["13001"], [OrganisationKind.PoliceNationale, OrganisationKind.Maire]) };
        Assert.That(Errors(new CreateInstanceValidator(), forces).Keys, Is.EqualTo(new[] { "zsp.forces" }));
    }

    [Test]
    public void COMP_1_an_ems_takes_one_or_more_procureurs_a_ccofsi_exactly_one_given_one_way()
    {
        var ems = new CreateInstance(InstanceKind.Ems, "13", "EMS", Guid.NewGuid(), null, [Guid.NewGuid(), Guid.NewGuid()], null);
        Assert.That(Errors(new CreateInstanceValidator(), ems), Is.Empty);
        Assert.That(Errors(new CreateInstanceValidator(), ems with { ProcureurOrganisationIds = [] }).Keys, Is.EqualTo(new[] { "procureurOrganisationIds" }));
        Assert.That(Errors(new CreateInstanceValidator(), ems with { ProcureurOrganisationId = Guid.NewGuid() }).Keys, Is.EqualTo(new[] { "procureurOrganisationIds" }));
        var ccofsi = ems with { Kind = InstanceKind.Ccofsi, Zsp = new ZspInput("ZSP", ["13001"], null) };
        Assert.That(Errors(new CreateInstanceValidator(), ccofsi).Keys, Is.EqualTo(new[] { "procureurOrganisationIds" }));
    }

    [Test]
    public void Scopes_are_among_the_six_known()
    {
        var errors = Errors(new CreateClientValidator(), new CreateClient(Guid.NewGuid(), "x", ["exchange", "root"]));
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "scopes" }));
    }

    [TestCase(OrganisationKind.Administrateur, new[] { "admin" }, true)]
    [TestCase(OrganisationKind.Administrateur, new[] { "admin", "exchange" }, false)]
    [TestCase(OrganisationKind.Auditeur, new[] { "audit" }, true)]
    [TestCase(OrganisationKind.Prefet, new[] { "governance", "exchange" }, true)]
    [TestCase(OrganisationKind.Procureur, new[] { "audit" }, false)]
    public void LOG_2_admin_and_audit_scopes_are_separated_from_the_business_scopes(OrganisationKind kind, string[] scopes, bool allowed) =>
        Assert.That(ScopePolicy.Refusal(kind, scopes) is null, Is.EqualTo(allowed));
}
