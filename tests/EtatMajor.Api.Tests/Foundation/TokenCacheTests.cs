using System.Net;
using System.Net.Http.Headers;
using EtatMajor.Api.Auth;
using EtatMajor.SharedKernel.Data;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>
/// Validated access tokens are kept until they expire (issue 13): a kept token is refused once expired, another token
/// never reaches its entry, and a disabled client is still refused at its next request (TokenTests).
/// A fixture of its own: it moves its API's clock.
/// </summary>
public sealed class TokenCacheTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public async Task A_kept_token_serves_until_its_expiry_and_a_tampered_one_is_never_served_from_it()
    {
        var actor = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "governance");
        var token = await Api.TokenAsync(actor.ClientId, actor.Secret);
        var http = Api.Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var kept = Api.Factory.Services.GetRequiredService<ValidatedTokens>();
        using (var first = await http.GetAsync("/api/v1/instances"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        var entries = kept.Count;
        var hits = kept.Hits;
        using (var second = await http.GetAsync("/api/v1/instances"))
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        Assert.Multiple(() =>
        {
            Assert.That(kept.Count, Is.EqualTo(entries).And.GreaterThan(0), "validated once and kept");
            Assert.That(kept.Hits, Is.EqualTo(hits + 1), "served again from what was kept");
        });

        var tampered = Api.Anonymous();
        var signature = token[^10..];
        tampered.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^10] + new string(signature.Reverse().ToArray()));
        using (var forged = await tampered.GetAsync("/api/v1/instances"))
        {
            await Json.ProblemAsync(forged, HttpStatusCode.Unauthorized);
        }

        Api.Clock.Advance(TimeSpan.FromMinutes(16));
        using var expired = await http.GetAsync("/api/v1/instances");
        await Json.ProblemAsync(expired, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_token_is_read_from_the_Authorization_header_only_never_from_the_query_string_or_a_form()
    {
        var actor = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "governance");
        var token = await Api.TokenAsync(actor.ClientId, actor.Secret);
        var anonymous = Api.Anonymous();
        using (var inQuery = await anonymous.GetAsync($"/api/v1/instances?access_token={Uri.EscapeDataString(token)}"))
        {
            await Json.ProblemAsync(inQuery, HttpStatusCode.Unauthorized);
        }
        using (var inForm = await anonymous.PostAsync("/api/v1/organisations", new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = token })))
        {
            // A form body is refused as such before anything reads it.
            await Json.ProblemAsync(inForm, HttpStatusCode.UnsupportedMediaType);
        }
        var bearer = Api.Anonymous();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var inHeader = await bearer.GetAsync("/api/v1/instances");
        Assert.That(inHeader.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same token in the header is accepted");
    }
}
