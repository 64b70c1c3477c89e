using System.Net;
using System.Net.Http.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>Issue 2, points 5 and 6: bootstrap administrator, organisations and clients.</summary>
public sealed class AdministrationTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public async Task The_bootstrap_administrator_exists_with_the_admin_scope()
    {
        var admin = await Api.AdminAsync();
        using var response = await admin.GetAsync("/api/v1/organisations?kind=administrateur");
        var page = await Json.ReadAsync(response, HttpStatusCode.OK);
        Assert.That(page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("code").GetString()), Does.Contain("administrateurs"));
    }

    [Test]
    public async Task An_organisation_is_created_with_201_and_a_location_that_reads_it_back()
    {
        var admin = await Api.AdminAsync();
        var code = TestApi.UniqueCode("PREF-13");
        using var created = await admin.PostAsJsonAsync("/api/v1/organisations",
            new { code, name = "Préfecture des Bouches-du-Rhône", kind = "prefet", departement = "13" });
        var body = await Json.ReadAsync(created, HttpStatusCode.Created);
        Assert.That(created.Headers.Location, Is.Not.Null);
        using var read = await admin.GetAsync(created.Headers.Location);
        var again = await Json.ReadAsync(read, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(again.GetProperty("id").GetGuid(), Is.EqualTo(body.GetProperty("id").GetGuid()));
            Assert.That(again.GetProperty("kind").GetString(), Is.EqualTo("prefet"));
            Assert.That(again.GetProperty("name").GetString(), Is.EqualTo("Préfecture des Bouches-du-Rhône"));
            Assert.That(again.GetProperty("createdAt").GetDateTimeOffset(), Is.EqualTo(body.GetProperty("createdAt").GetDateTimeOffset()));
        });
    }

    [Test]
    public async Task A_duplicate_code_gives_409()
    {
        var code = TestApi.UniqueCode("dup");
        await Api.CreateOrganisationAsync(code, "douanes", "59");
        using var response = await (await Api.AdminAsync()).PostAsJsonAsync("/api/v1/organisations",
            new { code, name = "Again", kind = "douanes", departement = "59" });
        await Json.ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [TestCase("maire", "33", null, "communeInsee")]
    [TestCase("maire", "33", "3306", "communeInsee")]
    [TestCase("maire", "33", "69123", "communeInsee")]
    [TestCase("prefet", "20", null, "departement")]
    [TestCase("prefet", "96", null, "departement")]
    [TestCase("prefet", "2C", null, "departement")]
    [TestCase("prefet", "977", null, "departement")]
    [TestCase("prefet", null, null, "departement")]
    [TestCase("police-nationale", "33", "33063", "communeInsee")]
    public async Task Invalid_organisation_fields_give_400_naming_the_field(string kind, string? departement, string? commune, string field)
    {
        using var response = await (await Api.AdminAsync()).PostAsJsonAsync("/api/v1/organisations",
            new { code = TestApi.UniqueCode("bad"), name = "x", kind, departement, communeInsee = commune });
        var problem = await Json.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [TestCase("2A", "2A004")]
    [TestCase("971", "97101")]
    [TestCase("33", "33063")]
    public async Task A_maire_of_a_commune_of_the_departement_is_accepted(string departement, string commune)
    {
        var id = await Api.CreateOrganisationAsync(TestApi.UniqueCode("mairie"), "maire", departement, commune);
        Assert.That(id, Is.Not.EqualTo(Guid.Empty));
    }

    [Test]
    public async Task Unknown_json_members_and_unknown_kinds_give_400()
    {
        var admin = await Api.AdminAsync();
        using var unknownMember = await admin.PostAsJsonAsync("/api/v1/organisations",
            new { code = TestApi.UniqueCode("x"), name = "x", kind = "douanes", departement = "59", siret = "123" });
        var problem = await Json.ProblemAsync(unknownMember, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("siret", out _), Is.True, problem.ToString());

        using var unknownKind = await admin.PostAsJsonAsync("/api/v1/organisations",
            new { code = TestApi.UniqueCode("x"), name = "x", kind = "Police_Nationale", departement = "59" });
        await Json.ProblemAsync(unknownKind, HttpStatusCode.BadRequest);

        // Enum values are spelt one way, lower-case kebab-case: another case is another, unknown value (issue 14).
        foreach (var spelling in new[] { "PREFET", "Prefet", "Police-Nationale" })
        {
            using var otherCase = await admin.PostAsJsonAsync("/api/v1/organisations",
                new { code = TestApi.UniqueCode("x"), name = "x", kind = spelling, departement = "59" });
            var refused = await Json.ProblemAsync(otherCase, HttpStatusCode.BadRequest);
            Assert.That(refused.GetProperty("errors").TryGetProperty("kind", out var message), Is.True, refused.ToString());
            Assert.That(message.ToString(), Does.Contain("prefet").And.Contain("police-nationale"), refused.ToString());
        }
    }

    [Test]
    public async Task Organisations_are_filtered_by_kind_and_departement_and_paged_with_a_cursor()
    {
        var admin = await Api.AdminAsync();
        for (var i = 0; i < 5; i++)
        {
            await Api.CreateOrganisationAsync(TestApi.UniqueCode("pjj"), "pjj", "971");
        }
        await Api.CreateOrganisationAsync(TestApi.UniqueCode("pjj"), "pjj", "972");
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            using var response = await admin.GetAsync($"/api/v1/organisations?kind=pjj&departement=971&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            var page = await Json.ReadAsync(response, HttpStatusCode.OK);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.That(items, Has.Count.LessThanOrEqualTo(2));
            Assert.That(items.Select(o => o.GetProperty("departement").GetString()), Is.All.EqualTo("971"));
            seen.AddRange(items.Select(o => o.GetProperty("code").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.That(seen, Has.Count.EqualTo(5).And.Unique.And.Ordered);
    }

    [TestCase("limit=0")]
    [TestCase("limit=501")]
    [TestCase("cursor=%25%25%25")]
    [TestCase("kind=ministre")]
    [TestCase("departement=99")]
    public async Task Bad_list_parameters_give_400(string query)
    {
        using var response = await (await Api.AdminAsync()).GetAsync($"/api/v1/organisations?{query}");
        await Json.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task An_unknown_organisation_gives_404()
    {
        using var response = await (await Api.AdminAsync()).GetAsync($"/api/v1/organisations/{Guid.NewGuid()}");
        await Json.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Administration_requires_the_admin_scope()
    {
        var prefet = await Api.ActorAsync("prefet", TestApi.FreshDepartement(), "governance");
        using var list = await prefet.Http.GetAsync("/api/v1/organisations");
        var problem = await Json.ProblemAsync(list, HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("admin"));
        using var create = await prefet.Http.PostAsJsonAsync("/api/v1/clients", new { organisationId = prefet.OrganisationId, displayName = "x", scopes = new[] { "exchange" } });
        await Json.ProblemAsync(create, HttpStatusCode.Forbidden);
        using var anonymous = await Api.Anonymous().GetAsync("/api/v1/organisations");
        await Json.ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    [TestCase("administrateur", "exchange")]
    [TestCase("auditeur", "governance")]
    [TestCase("police-nationale", "admin")]
    [TestCase("prefet", "audit")]
    public async Task Admin_and_audit_scopes_are_reserved_to_their_organisations(string kind, string scope)
    {
        var departement = kind is "administrateur" or "auditeur" ? null : "69";
        var organisationId = await Api.CreateOrganisationAsync(TestApi.UniqueCode(kind), kind, departement);
        using var response = await (await Api.AdminAsync()).PostAsJsonAsync("/api/v1/clients",
            new { organisationId, displayName = "x", scopes = new[] { scope } });
        var problem = await Json.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("scopes"));
    }

    [Test]
    public async Task Client_creation_checks_its_input()
    {
        var admin = await Api.AdminAsync();
        using var badScope = await admin.PostAsJsonAsync("/api/v1/clients", new { organisationId = Guid.NewGuid(), displayName = "x", scopes = new[] { "everything" } });
        await Json.ProblemAsync(badScope, HttpStatusCode.BadRequest);
        using var noOrganisation = await admin.PostAsJsonAsync("/api/v1/clients", new { organisationId = Guid.NewGuid(), displayName = "x", scopes = new[] { "exchange" } });
        var problem = await Json.ProblemAsync(noOrganisation, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("organisationId"));
    }

    [Test]
    public async Task Disabling_an_unknown_client_gives_404_and_disabling_oneself_gives_409()
    {
        var admin = await Api.AdminAsync();
        using var unknown = await admin.PostAsync("/api/v1/clients/c-nobody/disable", null);
        await Json.ProblemAsync(unknown, HttpStatusCode.NotFound);
        using var self = await admin.PostAsync($"/api/v1/clients/{ApiFactory.AdminClientId}/disable", null);
        await Json.ProblemAsync(self, HttpStatusCode.Conflict);
    }
}
