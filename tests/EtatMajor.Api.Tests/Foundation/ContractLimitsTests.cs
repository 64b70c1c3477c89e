using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>
/// Issue 15: the limits docs/openapi.json states are true of the API's answers. Every test client reads each JSON answer
/// against them (EtatMajor.Testing.ContractLimits), so that the whole suite checks them; here, that the check runs and
/// that it catches an answer over a limit.
/// </summary>
public sealed class ContractLimitsTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public async Task The_answers_of_a_client_are_read_against_the_contracts_limits_and_an_answer_over_one_is_caught()
    {
        var admin = await Api.AdminAsync();
        using var organisations = await admin.GetAsync("/api/v1/organisations?limit=5");
        var page = await Json.ReadAsync(organisations, HttpStatusCode.OK);
        var first = page.GetProperty("items")[0];
        Assert.That(ContractLimits.Checked.Keys, Does.Contain("GET /api/v1/organisations"), "the handler read the answer");

        var id = first.GetProperty("id").GetGuid();
        var fine = JsonSerializer.Serialize(new { id, code = "pref-33", name = "Préfecture", kind = "prefet", departement = "33", createdAt = "2026-12-08T00:00:00.000+00:00" });
        var overlong = fine.Replace("pref-33", new string('x', 65), StringComparison.Ordinal).Replace("\"33\"", "\"33333\"", StringComparison.Ordinal);
        var breaches = ContractLimits.Breaches(HttpMethod.Get, $"/api/v1/organisations/{id}", 200, "application/json", overlong);
        Assert.Multiple(() =>
        {
            Assert.That(ContractLimits.Breaches(HttpMethod.Get, $"/api/v1/organisations/{id}", 200, "application/json", fine), Is.Empty);
            Assert.That(breaches, Has.Some.Contains("$.code has 65 characters, over maxLength 64"));
            Assert.That(breaches, Has.Some.Contains("$.departement has 5 characters, over maxLength 3"));
            Assert.That(ContractLimits.Breaches(HttpMethod.Get, $"/api/v1/organisations/{id}", 200, "application/json",
                fine.Replace("\"prefet\"", "\"shérif\"", StringComparison.Ordinal)), Has.Some.Contains("is not in its enum"));
        });
    }

    [TestCase("33\n", null)]
    [TestCase("33", "33063\n")]
    public async Task A_code_the_contract_states_by_a_pattern_is_refused_with_a_trailing_line_feed(string departement, string? commune)
    {
        // .NET's $ matches before a final line feed: "33\n" passed the check, was stored, and broke the stated pattern.
        var admin = await Api.AdminAsync();
        using var created = await admin.PostAsJsonAsync("/api/v1/organisations", new
        {
            code = TestApi.UniqueCode("lf"), name = "Mairie", kind = commune is null ? "prefet" : "maire", departement, communeInsee = commune,
        });
        var problem = await Json.ProblemAsync(created, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Does.Contain(commune is null ? "departement" : "communeInsee"));
    }
}
