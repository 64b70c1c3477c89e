using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.Modules.Governance.Domain;
using EtatMajor.Modules.Governance.Features.CreateClient;
using EtatMajor.Modules.Governance.Features.CreateInstance;
using EtatMajor.Modules.Governance.Features.CreateOrganisation;
using EtatMajor.SharedKernel.Identity;
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
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.PoliceNationale, true)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.GendarmerieNationale, true)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Douanes, true)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.EducationNationale, false)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.EducationNationale, true)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.FinancesPubliques, true)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Maire, false)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.BailleurSocial, false)]
    public void COMP_2_COMP_4_forces_and_participants_by_right(string instance, OrganisationKind kind, bool direct) =>
        Assert.That(Membership.IsDirect(Enum.Parse<InstanceKind>(instance), kind), Is.EqualTo(direct));

    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Maire, "COMP-3")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Spip, "COMP-3")]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.FinancesPubliques, "COMP-3")]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.TransporteurPublic, "COMP-5")]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Procureur, "COMP-1")]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Auditeur, "COMP-3")]
    public void COMP_3_COMP_5_every_refusal_names_its_rule(string instance, OrganisationKind kind, string ruleId)
    {
        var (rule, detail) = Membership.WhyNotDirect(Enum.Parse<InstanceKind>(instance), kind);
        Assert.Multiple(() =>
        {
            Assert.That(rule.Id, Is.EqualTo(ruleId));
            Assert.That(detail, Is.Not.Empty);
        });
    }
}

public sealed class CompositionTests
{
    [Test]
    public void COMP_2_a_ccofsi_without_the_three_forces_is_incomplete_and_says_which_are_missing()
    {
        var composition = Composition.Of(InstanceKind.Ccofsi, [OrganisationKind.Prefet, OrganisationKind.Procureur, OrganisationKind.Douanes]);
        Assert.Multiple(() =>
        {
            Assert.That(composition.Complete, Is.False);
            Assert.That(composition.Missing, Is.EquivalentTo(new[] { OrganisationKind.PoliceNationale, OrganisationKind.GendarmerieNationale }));
            Assert.That(composition.Warnings, Is.Empty);
        });
        Assert.That(Composition.Of(InstanceKind.Ccofsi, [.. Membership.CcofsiByRight]).Complete, Is.True);
    }

    [Test]
    public void COMP_4_an_ems_missing_a_participant_of_the_circulaire_carries_a_warning_not_a_denial()
    {
        var composition = Composition.Of(InstanceKind.Ems, [OrganisationKind.Prefet, OrganisationKind.Procureur, OrganisationKind.PoliceNationale]);
        Assert.Multiple(() =>
        {
            Assert.That(composition.Complete, Is.True);
            Assert.That(composition.Warnings.Select(w => w.Kind), Is.EquivalentTo(new[]
            {
                OrganisationKind.GendarmerieNationale, OrganisationKind.Douanes, OrganisationKind.EducationNationale, OrganisationKind.FinancesPubliques,
            }));
            Assert.That(composition.Warnings.Select(w => w.RuleId), Is.All.EqualTo("COMP-4"));
        });
    }

    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.Maire, true)]
    [TestCase(nameof(InstanceKind.Ems), OrganisationKind.EducationNationale, false)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.EducationNationale, true)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Pjj, true)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.BailleurSocial, false)]
    [TestCase(nameof(InstanceKind.Ccofsi), OrganisationKind.Jap, false)]
    public void COMP_3_who_joins_on_a_joint_proposal(string instance, OrganisationKind kind, bool joint) =>
        Assert.That(Membership.ByJointProposal(Enum.Parse<InstanceKind>(instance), kind), Is.EqualTo(joint));
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
        var request = new CreateInstance(InstanceKind.Ccofsi, "13", "CCOFSI", Guid.NewGuid(), Guid.NewGuid(), new ZspInput("ZSP", tooMany));
        Assert.That(Errors(new CreateInstanceValidator(), request).Keys, Does.Contain("zsp.communes"));
        var duplicate = request with { Zsp = new ZspInput("ZSP", ["13001", "13001"]) };
        Assert.That(Errors(new CreateInstanceValidator(), duplicate).Keys, Does.Contain("zsp.communes"));
        var fine = request with { Zsp = new ZspInput("ZSP", ["13001", "13055"]) };
        Assert.That(Errors(new CreateInstanceValidator(), fine), Is.Empty);
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
