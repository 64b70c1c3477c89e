using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>
/// Issue 15, point 6: with `OTEL_EXPORTER_OTLP_ENDPOINT` set, the API exports its traces and metrics by OTLP — here to
/// a collector of the test's own on loopback (a real HTTP server receiving the real protobuf exports of a real API
/// process) — and what a request carried (its token, the client's secret, the names it sent, its motif) is not in them.
/// </summary>
public sealed class TelemetryTests
{
    [Test]
    public async Task With_an_OTLP_endpoint_the_api_exports_traces_and_metrics_and_nothing_a_request_carried()
    {
        var received = new ConcurrentDictionary<string, ConcurrentQueue<byte[]>>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.GetOrAdd(signal, _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());
            return Results.Ok();
        });
        await collector.StartAsync();
        var endpoint = collector.Urls.First();

        var directory = Directory.CreateTempSubdirectory("etatmajor-otel-").FullName;
        try
        {
            await using (var api = await ApiProcess.StartAsync(directory, new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            }, "--data", "data"))
            {
                using var http = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };
                using var tokenAnswer = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials", ["client_id"] = "dev-admin", ["client_secret"] = "dev-admin-secret",
                }));
                var token = (await Json.ReadAsync(tokenAnswer, HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var name = $"Préfecture de Confidentielleville {Guid.NewGuid():N}";
                using var created = await http.PostAsJsonAsync("/api/v1/organisations",
                    new { kind = "prefet", code = $"otel-{Guid.NewGuid():N}"[..20], name, departement = "13" });
                Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
                using var listed = await http.GetAsync("/api/v1/organisations?departement=13");
                Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));

                // The exporters send on their own schedule (here every half second): wait for what this test looks for.
                string Text(string signal) => Encoding.UTF8.GetString(received.GetValueOrDefault(signal)?.SelectMany(b => b).ToArray() ?? []);
                for (var i = 0; i < 120 && !(Text("traces").Contains("/api/v1/organisations", StringComparison.Ordinal)
                                             && Text("traces").Contains("db INSERT", StringComparison.Ordinal)
                                             && Text("metrics").Contains("etatmajor.access_log.batch.size", StringComparison.Ordinal)
                                             && Text("metrics").Contains("etatmajor.exchanges.held", StringComparison.Ordinal)); i++)
                {
                    await Task.Delay(250);
                }
                var traces = Text("traces");
                var metrics = Text("metrics");
                Assert.Multiple(() =>
                {
                    Assert.That(traces, Does.Contain("/api/v1/organisations"), "the requests' spans (ASP.NET Core)");
                    Assert.That(traces, Does.Contain("db INSERT").And.Contain("db SELECT"), "the statements' spans");
                    Assert.That(traces, Does.Contain("etatmajor-api"), "the service's name");
                    Assert.That(metrics, Does.Contain("etatmajor.access_log.batch.size").And.Contain("etatmajor.access_log.commit.duration"));
                    Assert.That(metrics, Does.Contain("http.server.request.duration"), "ASP.NET Core's metrics");
                    Assert.That(metrics, Does.Contain("etatmajor.exchanges.held"), "the exchanges waiting for a procureur's review");
                    foreach (var secret in new[] { token, "dev-admin-secret", name, "Confidentielleville" })
                    {
                        Assert.That(traces + metrics, Does.Not.Contain(secret), "nothing a request carried is exported");
                    }
                });
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
