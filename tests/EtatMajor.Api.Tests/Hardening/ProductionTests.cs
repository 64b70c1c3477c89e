using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EtatMajor.Api.Tests.Hardening;

/// <summary>
/// Issue 14, must-have 9: the API started as an operator starts it in Production (a real process, its required settings,
/// certificates made for the test), behind a TLS-terminating load balancer that is loopback here.
/// </summary>
public sealed class ProductionTests
{
    private const string AdminId = "prod-admin";
    private const string AdminSecret = "prod-admin-secret-0123456789abcdef";

    private static async Task<ApiProcess> StartAsync(string knownProxies, IDictionary<string, string>? more = null)
    {
        var directory = Directory.CreateTempSubdirectory("etatmajor-production-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__EtatMajor"] = $"Data Source={Path.Combine(directory, "etatmajor.db")}",
            ["Auth__SigningCertificate__Path"] = Certificate(directory, "signing.pfx", X509KeyUsageFlags.DigitalSignature),
            ["Auth__SigningCertificate__Password"] = "pfx-password",
            ["Auth__EncryptionCertificate__Path"] = Certificate(directory, "encryption.pfx", X509KeyUsageFlags.KeyEncipherment),
            ["Auth__EncryptionCertificate__Password"] = "pfx-password",
            ["Audit__SigningKey__Path"] = AuditKey(directory),
            ["FollowUp__IdentityKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Bootstrap__AdminClientId"] = AdminId,
            ["Bootstrap__AdminClientSecret"] = AdminSecret,
            ["Proxy__KnownProxies"] = knownProxies,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        return await ApiProcess.StartAsync(directory, environment);
    }

    private static string Certificate(string directory, string name, X509KeyUsageFlags usage)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=EtatMajor test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "pfx-password"));
        return path;
    }

    private static string AuditKey(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Path.Combine(directory, "audit-key.pem");
        File.WriteAllText(path, key.ExportECPrivateKeyPem());
        return path;
    }

    private static HttpRequestMessage TokenRequest(bool forwardedAsHttps)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = AdminId, ["client_secret"] = AdminSecret,
            }),
        };
        if (forwardedAsHttps)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        }
        return request;
    }

    private static HttpClient Client(ApiProcess api) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(api.BaseUrl) };

    [Test]
    public async Task Behind_a_known_proxy_the_api_serves_https_requests_and_shows_nothing_it_should_not()
    {
        await using var api = await StartAsync(knownProxies: "127.0.0.1");
        using var http = Client(api);

        using var token = await http.SendAsync(TokenRequest(forwardedAsHttps: true));
        var body = await Json.ReadAsync(token, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("access_token").GetString(), Is.Not.Empty, "a request forwarded as HTTPS by a known proxy is HTTPS");
            Assert.That(token.Headers.Contains("Server"), Is.False, "no Server header");
            Assert.That(token.Headers.GetValues("Strict-Transport-Security").Single(), Does.Contain("max-age=31536000"));
            Assert.That(token.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        });

        using var plain = await http.GetAsync("/api/v1/instances");
        Assert.Multiple(() =>
        {
            Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect), "plain HTTP is sent to HTTPS");
            Assert.That(plain.Headers.Location!.ToString(), Does.StartWith("https://"));
        });
        using var probe = await http.GetAsync("/health/live");
        Assert.That(probe.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the load balancer's probe in plain HTTP");

        // On a path no endpoint serves (routing would answer 405 for a routed one anyway): the perimeter refuses TRACE itself.
        using var trace = new HttpRequestMessage(HttpMethod.Trace, "/api/v1/no-such-thing");
        trace.Headers.Add("X-Forwarded-Proto", "https");
        using var traced = await http.SendAsync(trace);
        Assert.That((await Json.ProblemAsync(traced, HttpStatusCode.MethodNotAllowed)).GetProperty("detail").GetString(), Is.EqualTo("TRACE is not served."));

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/instances");
        preflight.Headers.Add("Origin", "https://attacker.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("X-Forwarded-Proto", "https");
        using var cors = await http.SendAsync(preflight);
        Assert.That(cors.Headers.Contains("Access-Control-Allow-Origin"), Is.False, "no CORS unless configured");

        using var swagger = new HttpRequestMessage(HttpMethod.Get, "/swagger/v1/swagger.json");
        swagger.Headers.Add("X-Forwarded-Proto", "https");
        using var document = await http.SendAsync(swagger);
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "Swagger is off unless enabled");
        Assert.That(api.Output, Does.Not.Contain(AdminSecret).And.Not.Contain(body.GetProperty("access_token").GetString()!), "no secret or token in the logs");
    }

    [Test]
    public async Task Forwarded_headers_from_an_address_that_is_not_a_known_proxy_are_ignored()
    {
        await using var api = await StartAsync(knownProxies: "10.1.2.3");
        using var http = Client(api);
        using var token = await http.SendAsync(TokenRequest(forwardedAsHttps: true));
        Assert.That(token.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK), "loopback is not the proxy: the request stays plain HTTP");
        Assert.That(token.Headers.Contains("Strict-Transport-Security"), Is.False);
    }

    [Test]
    public async Task In_production_every_log_line_is_json_and_a_requests_lines_carry_its_trace_and_span_ids()
    {
        // The framework's own request lines, to have lines written inside a request.
        await using var api = await StartAsync(knownProxies: "127.0.0.1",
            new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information" });
        using var http = Client(api);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/instances");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var refused = await http.SendAsync(request);
        var traceId = (await Json.ProblemAsync(refused, HttpStatusCode.Unauthorized)).GetProperty("traceId").GetString()!.Split('-')[1];
        await Task.Delay(500);
        var lines = api.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var parsed = lines.Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).ToList();
        var ofTheRequest = parsed.Where(l => l.GetProperty("Category").GetString() == "Microsoft.AspNetCore.Hosting.Diagnostics").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(parsed, Has.Count.EqualTo(lines.Length), "every line is one JSON object");
            Assert.That(parsed.All(l => l.TryGetProperty("Timestamp", out _) && l.TryGetProperty("LogLevel", out _)), Is.True);
            Assert.That(ofTheRequest, Is.Not.Empty);
            Assert.That(ofTheRequest.All(l => l.GetProperty("Scopes").EnumerateArray().Any(scope =>
                scope.ValueKind == System.Text.Json.JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId
                && scope.TryGetProperty("SpanId", out var span) && span.GetString()!.Length == 16)), Is.True, "the trace id the caller was given, and a span id");
        });
    }
}
