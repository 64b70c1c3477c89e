using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>
/// Issue 15, point 5: the administrators list the clients, enable a disabled one again and rotate a secret. A client
/// enabled again or given a new secret refuses the tokens it obtained before; the new secret is shown once.
/// </summary>
public sealed class ClientAdministrationTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public async Task Clients_are_listed_by_organisation_and_state_page_by_page_never_with_a_secret()
    {
        var admin = await Api.AdminAsync();
        var organisationId = await Api.CreateOrganisationAsync(TestApi.UniqueCode("police"), "police-nationale", TestApi.FreshDepartement(), null);
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await Api.CreateClientAsync(organisationId, "governance")).ClientId);
        }
        using (var disable = await admin.PostAsync($"/api/v1/clients/{created[1]}/disable", null))
        {
            Assert.That(disable.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        var listed = new List<JsonElement>();
        string? cursor = null;
        do
        {
            using var page = await admin.GetAsync($"/api/v1/clients?organisationId={organisationId}&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            var body = await Json.ReadAsync(page, HttpStatusCode.OK);
            Assert.That(body.GetRawText(), Does.Not.Contain("ecret"), "no secret, no secret hash");
            listed.AddRange(body.GetProperty("items").EnumerateArray());
            cursor = body.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        using var disabled = await admin.GetAsync($"/api/v1/clients?organisationId={organisationId}&enabled=false");
        var off = (await Json.ReadAsync(disabled, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("clientId").GetString()).ToList();
        using var refused = await (await Api.ActorAsync("prefet", TestApi.FreshDepartement())).Http.GetAsync("/api/v1/clients");
        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(c => c.GetProperty("clientId").GetString()), Is.EqualTo(created.Order(StringComparer.Ordinal)), "every client once, in id order");
            Assert.That(off, Is.EqualTo(new[] { created[1] }));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "administrators only");
        });
    }

    [Test]
    public async Task A_client_enabled_again_refuses_the_tokens_it_had_and_gets_new_ones()
    {
        var admin = await Api.AdminAsync();
        var actor = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "governance");
        using (var off = await admin.PostAsync($"/api/v1/clients/{actor.ClientId}/disable", null))
        {
            Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        using (var on = await admin.PostAsync($"/api/v1/clients/{actor.ClientId}/enable", null))
        {
            Assert.That(on.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        using var old = await actor.Http.GetAsync("/api/v1/instances");
        var problem = await Json.ProblemAsync(old, HttpStatusCode.Unauthorized);
        var fresh = Api.Anonymous();
        fresh.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Api.TokenAsync(actor.ClientId, actor.Secret));
        using var again = await fresh.GetAsync("/api/v1/instances");
        using var client = await admin.GetAsync($"/api/v1/clients/{actor.ClientId}");
        var read = await Json.ReadAsync(client, HttpStatusCode.OK);
        using var unknown = await admin.PostAsync("/api/v1/clients/c-nobody/enable", null);
        Assert.Multiple(async () =>
        {
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("enabled again"));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a token asked for after the enabling works");
            Assert.That(read.GetProperty("enabled").GetBoolean(), Is.True);
            Assert.That(read.GetProperty("disabledAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
            await Json.ProblemAsync(unknown, HttpStatusCode.NotFound);
        });
    }

    [Test]
    public async Task An_unknown_client_gives_404_and_a_list_s_bad_paging_a_problem_naming_the_field()
    {
        var admin = await Api.AdminAsync();
        using var unknown = await admin.PostAsync("/api/v1/clients/c-nobody/rotate-secret", null);
        await Json.ProblemAsync(unknown, HttpStatusCode.NotFound);
        using var forged = await admin.GetAsync("/api/v1/clients?cursor=%25%25%25");
        var cursor = await Json.ProblemAsync(forged, HttpStatusCode.BadRequest);
        using var tooMany = await admin.GetAsync("/api/v1/clients?limit=501");
        var limit = await Json.ProblemAsync(tooMany, HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(cursor.GetProperty("errors").TryGetProperty("cursor", out _), Is.True, cursor.ToString());
            Assert.That(limit.GetProperty("errors").TryGetProperty("limit", out _), Is.True, limit.ToString());
        });
    }

    [Test]
    public async Task A_rotated_secret_is_shown_once_the_old_secret_and_its_tokens_are_refused_at_once()
    {
        var admin = await Api.AdminAsync();
        var actor = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "governance");
        using (var before = await actor.Http.GetAsync("/api/v1/instances"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        using var rotation = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{actor.ClientId}/rotate-secret");
        rotation.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var key = rotation.Headers.GetValues("Idempotency-Key").Single();
        using var rotated = await admin.SendAsync(rotation);
        var body = await Json.ReadAsync(rotated, HttpStatusCode.OK);
        var secret = body.GetProperty("clientSecret").GetString()!;

        using var oldToken = await actor.Http.GetAsync("/api/v1/instances");
        using var oldSecret = await Api.RequestTokenAsync(actor.ClientId, actor.Secret);
        var fresh = Api.Anonymous();
        fresh.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Api.TokenAsync(actor.ClientId, secret));
        using var withNew = await fresh.GetAsync("/api/v1/instances");
        // The same request retried under its key: the secret is not kept to be shown again.
        using var retry = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{actor.ClientId}/rotate-secret");
        retry.Headers.Add("Idempotency-Key", key);
        using var retried = await admin.SendAsync(retry);
        using var bootstrap = await admin.PostAsync($"/api/v1/clients/{ApiFactory.AdminClientId}/rotate-secret", null);
        Assert.Multiple(async () =>
        {
            Assert.That(secret, Is.Not.EqualTo(actor.Secret).And.Length.GreaterThanOrEqualTo(32));
            await Json.ProblemAsync(oldToken, HttpStatusCode.Unauthorized);
            Assert.That(JsonDocument.Parse(await oldSecret.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), Is.EqualTo("invalid_client"));
            Assert.That(withNew.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await retried.Content.ReadAsStringAsync(), Does.Not.Contain(secret));
            Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            var refusal = await Json.ProblemAsync(bootstrap, HttpStatusCode.Conflict);
            Assert.That(refusal.GetProperty("detail").GetString(), Does.Contain("Bootstrap:AdminClientSecret"));
        });
    }
}
