using System.Net;
using System.Text;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>
/// Issue 15: the contract describes every member and parameter, and gives an example for every request body; each
/// example passes its validator, tried as Swagger UI's Try it out sends it (the ids in the path are unknown here, so a
/// valid example is answered 404 or 422 by the handler, never 400 by the validator). Two operations look their route id
/// up before the validator runs (a forward, an observation): their examples are checked against their schemas by
/// Spectral (oas3-valid-media-example) only.
/// </summary>
public sealed class ContractExamplesTests(DatabaseProvider provider) : ApiTest(provider)
{
    private JsonElement document;

    [OneTimeSetUp]
    public async Task ReadContract()
    {
        using var response = await Api.Anonymous().GetAsync("/swagger/v1/swagger.json");
        document = (await Json.ReadAsync(response, HttpStatusCode.OK)).Clone();
    }

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Name, op.Value)));

    [Test]
    public void Every_member_and_every_parameter_is_described()
    {
        var missing = new List<string>();
        void Members(string at, JsonElement schema)
        {
            if (!schema.TryGetProperty("properties", out var properties))
            {
                return;
            }
            foreach (var member in properties.EnumerateObject())
            {
                if (!member.Value.TryGetProperty("description", out var description) || string.IsNullOrWhiteSpace(description.GetString()))
                {
                    missing.Add($"{at}.{member.Name}");
                }
                if (member.Value.TryGetProperty("items", out var items))
                {
                    Members($"{at}.{member.Name}[]", items);
                }
            }
        }
        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            Members(schema.Name, schema.Value);
        }
        foreach (var (path, method, operation) in Operations())
        {
            foreach (var parameter in operation.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : default)
            {
                if (!parameter.TryGetProperty("description", out var description) || string.IsNullOrWhiteSpace(description.GetString()))
                {
                    missing.Add($"{method.ToUpperInvariant()} {path} ?{parameter.GetProperty("name").GetString()}");
                }
            }
        }
        Assert.That(missing, Is.Empty, "members and parameters without a description (src/Api/OpenApi/Descriptions.cs)");
    }

    [Test]
    public async Task Every_request_body_has_an_example_that_passes_its_validator()
    {
        var departement = TestApi.FreshDepartement();
        var actors = new[]
        {
            await Api.ActorAsync("procureur", departement, "governance", "penal-policy", "follow-up", "exchange"),
            await Api.ActorAsync("prefet", departement, "governance", "penal-policy", "follow-up", "exchange"),
            await Api.ActorAsync("police-nationale", departement, "governance", "follow-up", "exchange"),
        }.Select(a => a.Http).Append(await Api.AdminAsync()).ToList();
        var tried = 0;
        Assert.Multiple(async () =>
        {
            foreach (var (path, method, operation) in Operations().Where(o => o.Operation.TryGetProperty("requestBody", out _)))
            {
                var content = operation.GetProperty("requestBody").GetProperty("content").EnumerateObject().First().Value;
                Assert.That(content.TryGetProperty("example", out var example), Is.True, $"{method.ToUpperInvariant()} {path} has an example");
                if (example.ValueKind == JsonValueKind.Undefined)
                {
                    continue;
                }
                var target = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", m => m.Value == "{position}" ? "0" : Guid.NewGuid().ToString());
                HttpStatusCode status = default;
                string body = "";
                foreach (var http in actors)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), target)
                    {
                        // The example's département (33) is this test's own, so that a prefet of it may act.
                        Content = new StringContent(example.GetRawText().Replace("\"33063\"", $"\"{departement}063\"", StringComparison.Ordinal)
                            .Replace("\"33\"", $"\"{departement}\"", StringComparison.Ordinal), Encoding.UTF8, "application/json"),
                    };
                    request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
                    using var response = await http.SendAsync(request);
                    (status, body) = (response.StatusCode, await response.Content.ReadAsStringAsync());
                    if (status != HttpStatusCode.Forbidden)
                    {
                        break;
                    }
                }
                tried++;
                // Past the validator: done, or refused by the handler because the ids are not the caller's (or a state's).
                Assert.That(status, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.NoContent,
                    HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed, HttpStatusCode.UnprocessableEntity),
                    $"{method.ToUpperInvariant()} {path}: {body}");
            }
        });
        Assert.That(tried, Is.GreaterThanOrEqualTo(29), "every body of the contract was tried");
    }
}
