using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>
/// Issue 8, point 3: an error keeps its status and its RFC 9457 body whatever the client's Accept header.
/// Every endpoint the running app exposes is called with each Accept value, without a token and as a
/// stranger (an organisation that is a member of nothing): never a 5xx, always problem+json.
/// </summary>
public sealed class AcceptTests(DatabaseProvider provider) : ApiTest(provider)
{
    private static readonly string[] AcceptValues = ["text/csv", "text/html", "application/xml", "*/*"];

    /// <summary>Every (method, path) of the app, with its route parameters filled with ids nobody holds.</summary>
    internal static IReadOnlyList<(string Method, string Path)> Endpoints(IServiceProvider services) =>
        ApiEndpoints.Of(services).Select(e => (e.Method, ApiEndpoints.Fill(e.Template, static (_, constraint) =>
            constraint.Contains("guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : "c-nobody"))).ToList();

    private static HttpRequestMessage Request(string method, string path, string accept, AuthenticationHeaderValue? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Accept.ParseAdd(accept);
        request.Headers.Authorization = token;
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        return request;
    }

    /// <summary>
    /// What any authenticated client reads: its own instances and annual reports (none for a stranger), the policy's
    /// catalogue and the catalogue of the art. 41-1 CPP measures.
    /// </summary>
    private static readonly Dictionary<string, Func<JsonElement, bool>> OpenToAnyClient = new()
    {
        ["GET /api/v1/instances"] = body => body.GetProperty("items").GetArrayLength() == 0,
        ["GET /api/v1/policy/rules"] = body => body.GetProperty("rules").GetArrayLength() > 0,
        ["GET /api/v1/penal-policy-reports"] = body => body.GetProperty("items").GetArrayLength() == 0,
        ["GET /api/v1/penal-policy/measures"] = body => body.GetProperty("items").GetArrayLength() > 0,
    };

    private static async Task<string?> ProblemDefectAsync(HttpResponseMessage response, string? endpoint = null)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            return $"answered {status}: {text}";
        }
        if (status < 400)
        {
            return endpoint is not null && OpenToAnyClient.TryGetValue(endpoint, out var harmless) && harmless(JsonDocument.Parse(text).RootElement)
                ? null
                : $"answered {status} to a caller who may not see anything: {text}";
        }
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"answered {status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}";
        }
        using var problem = JsonDocument.Parse(text);
        return problem.RootElement.GetProperty("status").GetInt32() == status && problem.RootElement.TryGetProperty("traceId", out _)
            ? null
            : $"answered {status} with a body that is not its problem: {text}";
    }

    [Test]
    public async Task Without_a_token_every_endpoint_answers_401_problem_json_whatever_the_accept_header()
    {
        var endpoints = Endpoints(Api.Factory.Services);
        Assert.That(endpoints, Has.Count.GreaterThan(30), "the walk finds the endpoints");
        var http = Api.Anonymous();
        var defects = new List<string>();
        foreach (var (method, path) in endpoints)
        {
            foreach (var accept in AcceptValues)
            {
                using var response = await http.SendAsync(Request(method, path, accept, null));
                if (response.StatusCode != HttpStatusCode.Unauthorized || await ProblemDefectAsync(response) is { } defect)
                {
                    defects.Add($"{method} {path} (Accept: {accept}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        Assert.That(defects, Is.Empty);
    }

    [Test]
    public async Task As_a_stranger_every_endpoint_answers_a_4xx_problem_json_whatever_the_accept_header()
    {
        var stranger = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "governance", "exchange", "follow-up", "penal-policy");
        var defects = new List<string>();
        foreach (var (method, path) in Endpoints(Api.Factory.Services))
        {
            foreach (var accept in AcceptValues)
            {
                using var response = await stranger.Http.SendAsync(Request(method, path, accept, stranger.Http.DefaultRequestHeaders.Authorization));
                if (await ProblemDefectAsync(response, $"{method} {path}") is { } defect)
                {
                    defects.Add($"{method} {path} (Accept: {accept}): {defect}");
                }
            }
        }
        Assert.That(defects, Is.Empty);
    }

    [Test]
    public async Task An_unknown_route_answers_404_problem_json_to_a_browser()
    {
        using var response = await Api.Anonymous().SendAsync(Request("GET", "/api/v1/nothing-here", "text/html", null));
        await Json.ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
