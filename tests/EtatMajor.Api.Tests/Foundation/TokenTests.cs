using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;
using Microsoft.Data.Sqlite;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>Issue 2, point 4: OAuth2 client credentials, JWT access tokens, disabled clients.</summary>
public sealed class TokenTests(DatabaseProvider provider) : ApiTest(provider)
{
    private static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(part)).RootElement.Clone();
    }

    [Test]
    public async Task Client_secret_post_gives_a_signed_jwt_living_at_most_15_minutes_with_client_organisation_and_scopes()
    {
        var actor = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "governance", "exchange");
        using var response = await Api.RequestTokenAsync(actor.ClientId, actor.Secret, "exchange");
        var body = await Json.ReadAsync(response, HttpStatusCode.OK);
        var token = body.GetProperty("access_token").GetString()!;
        var claims = Payload(token);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("token_type").GetString(), Is.EqualTo("Bearer"));
            Assert.That(body.GetProperty("expires_in").GetInt32(), Is.InRange(1, 900));
            Assert.That(token.Split('.'), Has.Length.EqualTo(3), "a signed JWT (JWS), not an encrypted JWE");
            Assert.That(claims.GetProperty("sub").GetString(), Is.EqualTo(actor.ClientId));
            Assert.That(claims.GetProperty("org_id").GetString(), Is.EqualTo(actor.OrganisationId.ToString()));
            Assert.That(claims.GetProperty("org_kind").GetString(), Is.EqualTo("police-nationale"));
            Assert.That(claims.GetProperty("scope").GetString(), Is.EqualTo("exchange"));
            Assert.That(claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64(), Is.LessThanOrEqualTo(900));
        });
    }

    [Test]
    public async Task Client_secret_basic_is_accepted_and_no_scope_asked_grants_every_scope_held()
    {
        var actor = await Api.ActorAsync("gendarmerie-nationale", TestApi.FreshDepartement(), "governance", "exchange");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{actor.ClientId}:{actor.Secret}")));
        using var response = await Api.Anonymous().SendAsync(request);
        var body = await Json.ReadAsync(response, HttpStatusCode.OK);
        var scopes = Payload(body.GetProperty("access_token").GetString()!).GetProperty("scope").GetString()!.Split(' ');
        Assert.That(scopes, Is.EquivalentTo(new[] { "exchange", "governance" }));
    }

    [TestCase("wrong-secret", "invalid_client")]
    [TestCase("", "invalid_request")]
    public async Task A_wrong_secret_gives_invalid_client_and_a_missing_one_invalid_request(string secret, string error)
    {
        var actor = await Api.ActorAsync("douanes", TestApi.FreshDepartement());
        using var response = await Api.RequestTokenAsync(actor.ClientId, secret);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.AnyOf(400, 401), body);
            Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), Is.EqualTo(error));
        });
    }

    [Test]
    public async Task An_unknown_client_gets_the_same_answer_as_a_wrong_secret()
    {
        using var response = await Api.RequestTokenAsync("c-does-not-exist", "whatever");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("invalid_client"));
    }

    [Test]
    public async Task A_scope_the_client_does_not_hold_gives_invalid_scope()
    {
        var actor = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "exchange");
        using var response = await Api.RequestTokenAsync(actor.ClientId, actor.Secret, "exchange follow-up");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("invalid_scope"));
            Assert.That(body.GetProperty("error_description").GetString(), Does.Contain("follow-up"));
        });
    }

    [Test]
    public async Task Only_the_client_credentials_grant_is_supported()
    {
        using var response = await Api.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "someone", ["password"] = "x",
            ["client_id"] = ApiFactory.AdminClientId, ["client_secret"] = ApiFactory.AdminSecret,
        }));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("unsupported_grant_type"));
    }

    [Test]
    public async Task A_disabled_client_is_refused_from_its_very_next_request_and_gets_no_new_token()
    {
        var actor = await Api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "governance");
        using (var before = await actor.Http.GetAsync("/api/v1/instances"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        using (var disable = await (await Api.AdminAsync()).PostAsync($"/api/v1/clients/{actor.ClientId}/disable", null))
        {
            Assert.That(disable.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        using var after = await actor.Http.GetAsync("/api/v1/instances");
        var problem = await Json.ProblemAsync(after, HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("disabled"));
        using var token = await Api.RequestTokenAsync(actor.ClientId, actor.Secret);
        Assert.That(JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), Is.EqualTo("invalid_client"));
    }

    [TestCase(null)]
    [TestCase("not-a-token")]
    [TestCase("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task No_or_a_malformed_token_gives_401_problem(string? token)
    {
        var http = Api.Anonymous();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.GetAsync("/api/v1/instances");
        await Json.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [Test]
    public async Task Secrets_are_stored_only_as_pbkdf2_hashes()
    {
        if (Api.Factory.SqlitePath is null)
        {
            Assert.Ignore("Reads the SQLite file directly.");
        }
        var actor = await Api.ActorAsync("douanes", TestApi.FreshDepartement());
        using var connection = new SqliteConnection($"Data Source={Api.Factory.SqlitePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT secret_hash FROM gov_clients WHERE client_id = $id";
        command.Parameters.AddWithValue("$id", actor.ClientId);
        var stored = (string)command.ExecuteScalar()!;
        Assert.Multiple(() =>
        {
            Assert.That(stored, Does.StartWith("pbkdf2-sha256$"));
            Assert.That(stored, Does.Not.Contain(actor.Secret));
        });
    }

    [Test]
    public async Task The_secret_is_shown_once_and_never_again()
    {
        var admin = await Api.AdminAsync();
        var organisationId = await Api.CreateOrganisationAsync(TestApi.UniqueCode("pn"), "police-nationale", "13");
        var (clientId, _) = await Api.CreateClientAsync(organisationId, "exchange");
        using var read = await admin.GetAsync($"/api/v1/clients/{clientId}");
        var client = await Json.ReadAsync(read, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(client.TryGetProperty("clientSecret", out _), Is.False);
            Assert.That(client.ToString(), Does.Not.Contain("pbkdf2"));
            Assert.That(client.GetProperty("enabled").GetBoolean(), Is.True);
        });
    }
}
