// A minimal C# client of EtatMajor with HttpClient (issue 15): a token (OAuth2 client credentials), organisations and
// their clients, a CCOFSI with a member, the règlement intérieur acknowledged, an exchange sent and read back, and the
// auditor reading the log. Every error is an RFC 9457 problem: printed as the API gave it.
//   dotnet run --project samples/csharp -- [URL] (default http://localhost:5080; ETATMAJOR_ADMIN_ID / ETATMAJOR_ADMIN_SECRET)
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

var baseUrl = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("ETATMAJOR_URL") ?? "http://localhost:5080";
var adminId = Environment.GetEnvironmentVariable("ETATMAJOR_ADMIN_ID") ?? "dev-admin";
var adminSecret = Environment.GetEnvironmentVariable("ETATMAJOR_ADMIN_SECRET") ?? "dev-admin-secret";
var run = DateTime.UtcNow.Ticks.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
const string Motif = "Suivi des rassemblements du centre-ville";

using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };

var admin = await TokenAsync(adminId, adminSecret);
var instances = await CallAsync(admin, HttpMethod.Get, "/api/v1/instances?limit=500");
var used = instances["items"]!.AsArray().Select(i => (string?)i!["departement"]).ToHashSet();
var departement = Enumerable.Range(1, 95).Select(d => d.ToString("00", System.Globalization.CultureInfo.InvariantCulture))
    .First(d => d != "20" && !used.Contains(d));

var prefet = await OrganisationAsync(new { kind = "prefet", code = $"pref-{departement}-{run}", name = "Préfecture", departement });
var procureur = await OrganisationAsync(new { kind = "procureur", code = $"parquet-{departement}-{run}", name = "Parquet", departement });
var police = await OrganisationAsync(new { kind = "police-nationale", code = $"ddsp-{departement}-{run}", name = "DDSP", departement });
var auditeur = await OrganisationAsync(new { kind = "auditeur", code = $"audit-{run}", name = "Délégué à la protection des données" });
var asPrefet = await ClientAsync(prefet, "Logiciel de la préfecture", "governance", "exchange");
var asPolice = await ClientAsync(police, "Logiciel de la police", "governance", "exchange");
var asAuditeur = await ClientAsync(auditeur, "Outil du DPD", "audit");

var ccofsi = (string)(await CallAsync(asPrefet, HttpMethod.Post, "/api/v1/instances", new
{
    kind = "ccofsi", departement, name = "CCOFSI du centre-ville", prefetOrganisationId = prefet, procureurOrganisationIds = new[] { procureur },
    zsp = new { name = "Centre-ville", communes = new[] { $"{departement}101" }, forces = new[] { "police-nationale" } },
}))["id"]!;
await CallAsync(asPrefet, HttpMethod.Post, $"/api/v1/instances/{ccofsi}/members", new { organisationId = police });
await CallAsync(asPrefet, HttpMethod.Post, "/api/v1/internal-rules", new
{
    departement, version = "2026-1", adoptedByCdpdOn = "2026-01-15", cdpdDeliberationReference = "CDPD délibération 2026-01",
    proposedBy = "Groupe de travail du CDPD", inForceFrom = "2026-01-15",
    text = "Les informations confidentielles échangées ne sont communiquées à aucun tiers.",
});
foreach (var member in new[] { asPrefet, asPolice })
{
    await CallAsync(member, HttpMethod.Post, $"/api/v1/instances/{ccofsi}/internal-rules/current/acknowledgements");
}

var sent = (string)(await CallAsync(asPrefet, HttpMethod.Post, $"/api/v1/instances/{ccofsi}/exchanges",
    new { subject = "Situation hebdomadaire", body = "Trois rassemblements signalés rue des Lilas.", recipientOrganisationIds = new[] { police } }, Motif))["id"]!;
var read = await CallAsync(asPolice, HttpMethod.Get, $"/api/v1/exchanges/{sent}", motif: Motif);
var log = await CallAsync(asAuditeur, HttpMethod.Get, $"/api/v1/audit/events?resourceId={sent}");
var actions = log["items"]!.AsArray().Select(e => (string?)e!["action"]).ToList();
Console.WriteLine($"The police read \"{read["subject"]}\"; the access log of the exchange: {string.Join(", ", actions)}");
if (!actions.Contains("exchange.send") || !actions.Contains("exchange.read"))
{
    Console.Error.WriteLine("The access log lacks the send or the read of the exchange.");
    return 1;
}
Console.WriteLine("The C# client's tour is complete.");
return 0;

async Task<string> TokenAsync(string clientId, string secret)
{
    using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
    }));
    var body = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode
        ? (string)JsonNode.Parse(body)!["access_token"]!
        : throw new InvalidOperationException($"token for {clientId}: {(int)response.StatusCode} {body}");
}

// One call: the caller's token, the motif when personal data is read or sent (X-Justification, LOG-1), JSON both ways.
async Task<JsonNode> CallAsync(string token, HttpMethod method, string path, object? body = null, string? motif = null)
{
    using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    if (motif is not null)
    {
        request.Headers.Add("X-Justification", motif);
    }
    if (body is not null)
    {
        request.Content = JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }
    using var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    Console.WriteLine($"{(int)response.StatusCode} {method} {path}");
    return response.IsSuccessStatusCode
        ? JsonNode.Parse(text.Length > 0 ? text : "{}")!
        : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
}

async Task<string> OrganisationAsync(object body) => (string)(await CallAsync(admin, HttpMethod.Post, "/api/v1/organisations", body))["id"]!;

async Task<string> ClientAsync(string organisationId, string displayName, params string[] scopes)
{
    var created = await CallAsync(admin, HttpMethod.Post, "/api/v1/clients", new { organisationId, displayName, scopes });
    return await TokenAsync((string)created["clientId"]!, (string)created["clientSecret"]!);
}
