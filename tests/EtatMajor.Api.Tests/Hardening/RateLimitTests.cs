using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace EtatMajor.Api.Tests.Hardening;

/// <summary>Issue 14, must-have 6: limits per client, and at the token endpoint per client id and per address: 429 with Retry-After.</summary>
public sealed class RateLimitTests
{
    /// <summary>The product's defaults, except those named.</summary>
    private static TestApi Start(Dictionary<string, string?> limits)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RateLimiting:PerClient:PermitsPerSecond"] = "100", ["RateLimiting:PerClient:Burst"] = "200",
            ["RateLimiting:Token:RequestsPerAddress"] = "300", ["RateLimiting:Token:FailuresPerAddress"] = "30",
        };
        foreach (var (key, value) in limits)
        {
            settings[key] = value;
        }
        return new TestApi(new ApiFactory(extra: settings));
    }

    private static async Task<JsonElement> TooManyAsync(HttpResponseMessage response)
    {
        var problem = await Json.ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/too-many-requests"));
            Assert.That(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
        });
        return problem;
    }

    [Test]
    public async Task Ten_failed_attempts_for_one_client_id_within_a_minute_then_429_even_with_the_right_secret_and_only_for_that_id()
    {
        using var api = Start([]);
        var target = await api.ActorAsync("police-nationale", TestApi.FreshDepartement());
        var other = await api.ActorAsync("gendarmerie-nationale", TestApi.FreshDepartement());
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var wrong = await api.RequestTokenAsync(target.ClientId, "not-the-secret-" + attempt);
            Assert.That(wrong.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK).And.Not.EqualTo(HttpStatusCode.TooManyRequests), $"attempt {attempt + 1}");
        }
        using (var right = await api.RequestTokenAsync(target.ClientId, target.Secret))
        {
            var problem = await TooManyAsync(right);
            Assert.That(int.Parse(right.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(60));
            Assert.That(problem.ToString(), Does.Not.Contain(target.Secret));
        }
        using (var basic = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
               {
                   Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
               })
        {
            // The same client id through HTTP Basic: the same counter.
            basic.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(target.ClientId)}:{Uri.EscapeDataString(target.Secret)}")));
            using var response = await api.Anonymous().SendAsync(basic);
            await TooManyAsync(response);
        }
        // The same client id in another spelling, or through the token endpoint with a trailing slash: the same counter.
        foreach (var (path, id) in new[] { ("/connect/token/", target.ClientId), ("/CONNECT/TOKEN", target.ClientId.ToUpperInvariant()) })
        {
            using var variant = await api.Anonymous().PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = id, ["client_secret"] = target.Secret,
            }));
            await TooManyAsync(variant);
        }
        using (var unaffected = await api.RequestTokenAsync(other.ClientId, other.Secret))
        {
            Assert.That(unaffected.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another client id from the same address");
        }
        Assert.That(AuditLog.Scalar(api, $"SELECT COUNT(*) FROM aud_events WHERE action = 'token.issue' AND status = 429 AND resource_id = '{target.ClientId}'"),
            Is.EqualTo(3), "each refusal recorded under the client id (the upper-case spelling recorded as sent)");
        api.Clock.Advance(TimeSpan.FromSeconds(61));
        using var later = await api.RequestTokenAsync(target.ClientId, target.Secret);
        Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the window has passed");
    }

    [Test]
    public async Task An_address_spraying_client_ids_is_limited_whatever_the_id()
    {
        using var api = Start(new() { ["RateLimiting:Token:FailuresPerAddress"] = "5" });
        var legitimate = await api.ActorAsync("police-nationale", TestApi.FreshDepartement());
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await api.RequestTokenAsync($"guess-{attempt}", "secret");
            Assert.That(wrong.StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests));
        }
        using var refused = await api.RequestTokenAsync(legitimate.ClientId, legitimate.Secret);
        await TooManyAsync(refused);
    }

    [Test]
    public async Task An_address_asking_too_many_tokens_gets_429()
    {
        using var api = Start(new() { ["RateLimiting:Token:RequestsPerAddress"] = "3" });
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var response = await api.RequestTokenAsync(ApiFactory.AdminClientId, ApiFactory.AdminSecret);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await TooManyAsync(response);
            }
        }
        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task A_client_beyond_its_burst_gets_429_with_Retry_After_and_another_client_does_not()
    {
        using var api = Start(new() { ["RateLimiting:PerClient:PermitsPerSecond"] = "1", ["RateLimiting:PerClient:Burst"] = "8" });
        var busy = await api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "governance");
        var calm = await api.ActorAsync("gendarmerie-nationale", TestApi.FreshDepartement(), "governance");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        // The administrator created both (4 of its own 8); the busy client has 8, then one more a second.
        for (var request = 0; request < 30 && limited is null; request++)
        {
            var response = await busy.Http.GetAsync("/api/v1/instances");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }
        Assert.That(limited, Is.Not.Null, string.Join(", ", statuses));
        using (limited)
        {
            await TooManyAsync(limited!);
        }
        using var other = await calm.Http.GetAsync("/api/v1/instances");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(AuditLog.Scalar(api, "SELECT COUNT(*) FROM aud_events WHERE action = 'instance.list' AND status = 429"), Is.EqualTo(1), "recorded");
        // Issue 15: each answer says where its client stands (IETF RateLimit fields); the refused one has nothing left.
        static string Field(HttpResponseMessage response, string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
        using var next = await calm.Http.GetAsync("/api/v1/instances");
        using var anonymous = await api.Anonymous().GetAsync("/api/v1/instances");
        Assert.Multiple(() =>
        {
            Assert.That(Field(other, "RateLimit-Policy"), Is.EqualTo("\"client\";q=1;w=1"));
            Assert.That(Field(next, "RateLimit"), Does.Match("^\"client\";r=[0-9]+;t=1$"));
            Assert.That(int.Parse(Field(next, "RateLimit").Split(';')[1][2..], System.Globalization.CultureInfo.InvariantCulture),
                Is.LessThan(8), "read once this request has taken its permit: below the burst of 8");
            Assert.That(Field(limited!, "RateLimit"), Does.StartWith("\"client\";r=0;t="), "the 429 has nothing left");
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Field(anonymous, "RateLimit"), Does.Match("^\"client\";r=[0-9]+;t=[01]$"), "a 401 says it too (the address's bucket)");
        });
    }
}
