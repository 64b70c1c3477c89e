using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Testing;

/// <summary>An organisation with its own API client, and an HTTP client carrying that client's real token.</summary>
public sealed record Actor(Guid OrganisationId, string Code, string ClientId, string Secret, HttpClient Http);

/// <summary>The motif (X-Justification, LOG-1) every actor's request carries unless a test omits it.</summary>
public static class Motif
{
    public const string Header = "X-Justification";
    public const string Default = "Suivi de l'instance (test)";
    public static readonly HttpRequestOptionsKey<bool> Omit = new("etatmajor.omit-justification");

    /// <summary>A request sent without any motif.</summary>
    public static HttpRequestMessage Without(HttpMethod method, string uri, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Options.Set(Omit, true);
        return request;
    }
}

/// <summary>Drives the API as an integrator would: tokens from /connect/token, JSON over HTTP.</summary>
public sealed class TestApi(ApiFactory factory) : IDisposable
{
    /// <summary>The API's clock: advance it to let time pass (a deadline, a retention period).</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => Factory.Clock;

    private static int sequence;

    public ApiFactory Factory { get; } = factory;

    /// <summary>A client without a token; its answers are read against the contract's limits too (ContractLimits).</summary>
    public HttpClient Anonymous() => Factory.CreateDefaultClient(new ContractLimits.Check());

    /// <summary>A code no other test of the run uses.</summary>
    public static string UniqueCode(string prefix) => $"{prefix}-{Interlocked.Increment(ref sequence)}-{Guid.NewGuid().ToString("N")[..6]}";

    public async Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        return await Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }

    public async Task<string> TokenAsync(string clientId, string secret, string? scope = null) =>
        (await TokenWithLifetimeAsync(clientId, secret, scope)).Token;

    private async Task<(string Token, TimeSpan Lifetime)> TokenWithLifetimeAsync(string clientId, string secret, string? scope)
    {
        using var response = await RequestTokenAsync(clientId, secret, scope);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("access_token").GetString()!, TimeSpan.FromSeconds(json.GetProperty("expires_in").GetInt32()));
    }

    /// <summary>
    /// A client that sends this client's token, and asks for a new one when the test clock says it has expired,
    /// as integrating software does: a test that lets days pass keeps acting as the same client.
    /// </summary>
    public async Task<HttpClient> AsAsync(string clientId, string secret, string? scope = null)
    {
        var renewing = new RenewingToken(this, clientId, secret, scope);
        var http = Factory.CreateDefaultClient(new ContractLimits.Check(), renewing);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await renewing.CurrentAsync());
        return http;
    }

    private sealed class RenewingToken(TestApi api, string clientId, string secret, string? scope) : DelegatingHandler
    {
        private readonly HashSet<string> issued = new(StringComparer.Ordinal);
        private string? token;
        private DateTimeOffset renewAt;

        public async Task<string> CurrentAsync()
        {
            if (token is null || api.Clock.GetUtcNow() >= renewAt)
            {
                var (fresh, lifetime) = await api.TokenWithLifetimeAsync(clientId, secret, scope);
                token = fresh;
                issued.Add(fresh);
                renewAt = api.Clock.GetUtcNow() + lifetime - TimeSpan.FromSeconds(30);
            }
            return token;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // As integrating software does, every request says why (LOG-1), unless a test leaves the motif out on purpose.
            if (!request.Headers.Contains(Motif.Header) && !request.Options.TryGetValue(Motif.Omit, out _))
            {
                request.Headers.Add(Motif.Header, Motif.Default);
            }
            // Only a token this handler gave: a test that sends another one on purpose keeps it.
            if (request.Headers.Authorization?.Parameter is { } sent && issued.Contains(sent))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await CurrentAsync());
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private HttpClient? admin;

    public async Task<HttpClient> AdminAsync() => admin ??= await AsAsync(ApiFactory.AdminClientId, ApiFactory.AdminSecret);

    public async Task<Guid> CreateOrganisationAsync(string code, string kind, string? departement, string? communeInsee = null)
    {
        using var response = await (await AdminAsync()).PostAsJsonAsync("/api/v1/organisations",
            new { code, name = $"Organisation {code}", kind, departement, communeInsee });
        var body = await Json.ReadAsync(response, HttpStatusCode.Created);
        return body.GetProperty("id").GetGuid();
    }

    public async Task<(string ClientId, string Secret)> CreateClientAsync(Guid organisationId, params string[] scopes)
    {
        using var response = await (await AdminAsync()).PostAsJsonAsync("/api/v1/clients",
            new { organisationId, displayName = "Test client", scopes });
        var body = await Json.ReadAsync(response, HttpStatusCode.Created);
        return (body.GetProperty("clientId").GetString()!, body.GetProperty("clientSecret").GetString()!);
    }

    /// <summary>A new organisation of this kind with a client holding these scopes, authenticated.</summary>
    public async Task<Actor> ActorAsync(string kind, string? departement, params string[] scopes)
    {
        var code = UniqueCode(kind);
        var commune = kind == "maire" ? $"{departement}{Random.Shared.Next(100, 999)}" : null;
        var organisationId = await CreateOrganisationAsync(code, kind, departement, commune);
        var (clientId, secret) = await CreateClientAsync(organisationId, scopes.Length > 0 ? scopes : ["governance"]);
        return new Actor(organisationId, code, clientId, secret, await AsAsync(clientId, secret));
    }

    private static readonly string[] Departements =
        [.. Enumerable.Range(1, 95).Where(n => n != 20).Select(n => n.ToString("00", System.Globalization.CultureInfo.InvariantCulture)), "2A", "2B"];

    /// <summary>A département no other test of the run has used (one EMS per département).</summary>
    public static string FreshDepartement() => Departements[Interlocked.Increment(ref departementSequence) % Departements.Length];

    private static int departementSequence;

    public void Dispose() => Factory.Dispose();
}

public static class Json
{
    /// <summary>Asserts the status, then parses the body.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with this status, and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await ReadAsync(response, expected);
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)expected));
            Assert.That(problem.GetProperty("type").GetString(), Does.StartWith("/problems/"));
            Assert.That(problem.TryGetProperty("traceId", out _), Is.True, "traceId");
            Assert.That(problem.ToString(), Does.Not.Contain("   at "), "no stack trace");
        });
        return problem;
    }

    public static async Task<JsonElement> RuleViolationAsync(HttpResponseMessage response, HttpStatusCode expected, string ruleId)
    {
        var problem = await ProblemAsync(response, expected);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("ruleId").GetString(), Is.EqualTo(ruleId));
            Assert.That(problem.GetProperty("legalBasis").GetString(), Is.Not.Empty);
        });
        return problem;
    }
}

/// <summary>
/// The databases the integration fixtures run on: a fresh SQLite file always, and a fresh database on the SQL
/// Server named by ETATMAJOR_TEST_SQLSERVER when it is set. Without it, the SQL Server fixtures are not built at
/// all (one line says so, <see cref="SqlServerSuiteTests"/>) instead of a skipped line per test.
/// </summary>
public static class Providers
{
    public static bool SqlServerConfigured => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ApiFactory.SqlServerVariable));

    public static IEnumerable<DatabaseProvider> Configured() =>
        SqlServerConfigured ? [DatabaseProvider.Sqlite, DatabaseProvider.SqlServer] : [DatabaseProvider.Sqlite];
}

/// <summary>Every integration fixture runs on each configured provider (<see cref="Providers"/>), each with a fresh database.</summary>
[TestFixtureSource(typeof(Providers), nameof(Providers.Configured))]
public abstract class ApiTest(DatabaseProvider provider)
{
    protected TestApi Api { get; private set; } = null!;

    protected DatabaseProvider Provider => provider;

    [OneTimeSetUp]
    public void StartApi() => Api = new TestApi(new ApiFactory(provider));

    [OneTimeTearDown]
    public void StopApi() => Api?.Dispose();
}
