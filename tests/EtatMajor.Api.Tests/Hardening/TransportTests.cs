using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EtatMajor.Api.Tests.Hardening;

/// <summary>
/// Issue 14, findings: what a hostile client sends below HTTP's niceties, to a real Kestrel process over a raw socket
/// (an HTTP client library would refuse to send it): every refusal is a problem+json, and a record of the access log.
/// </summary>
public sealed class TransportTests
{
    private ApiProcess api = null!;
    private string directory = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        directory = Directory.CreateTempSubdirectory("etatmajor-transport-").FullName;
        api = await ApiProcess.StartAsync(directory, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, "--data", "store");
    }

    [OneTimeTearDown]
    public async Task Stop() => await api.DisposeAsync();

    /// <summary>One request written byte for byte; the status and the body of the answer.</summary>
    private async Task<(int Status, string Body, string Head)> RawAsync(byte[] request)
    {
        var uri = new Uri(api.BaseUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        using var reader = new MemoryStream();
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read;
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            reader.Write(buffer, 0, read);
        }
        var text = Encoding.UTF8.GetString(reader.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        return (int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), split < 0 ? "" : text[(split + 4)..], head);
    }

    private static byte[] Request(string target, params byte[][] extraHeaderLines)
    {
        var bytes = new List<byte>(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"));
        foreach (var line in extraHeaderLines)
        {
            bytes.AddRange(line);
            bytes.AddRange("\r\n"u8.ToArray());
        }
        bytes.AddRange("\r\n"u8.ToArray());
        return [.. bytes];
    }

    private long Records(int status)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "store", "etatmajor.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM aud_events WHERE status = {status}";
        return (long)command.ExecuteScalar()!;
    }

    private static JsonElement Problem(string body, int status)
    {
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(status));
            Assert.That(problem.GetProperty("type").GetString(), Does.StartWith("/problems/"));
            Assert.That(problem.TryGetProperty("traceId", out _), Is.True);
        });
        return problem;
    }

    [Test]
    public async Task A_path_with_doubled_slashes_gets_404_problem_and_a_record()
    {
        var before = Records(404);
        var (status, body, head) = await RawAsync(Request("//api/v1/instances"));
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(404));
            Assert.That(head, Does.Contain("application/problem+json"));
        });
        Problem(body, 404);
        Assert.That(Records(404), Is.EqualTo(before + 1), "recorded like any /api request");
    }

    [Test]
    public async Task A_header_that_is_not_UTF_8_gets_400_naming_it_and_a_record()
    {
        var before = Records(400);
        var (status, body, _) = await RawAsync(Request("/api/v1/instances", [.. "X-On-Behalf-Of: agent-"u8.ToArray(), 0xFF, 0xFE, 0x80]));
        Assert.That(status, Is.EqualTo(400), body);
        Assert.That(Problem(body, 400).GetProperty("errors").TryGetProperty("X-On-Behalf-Of", out _), Is.True, body);
        Assert.That(Records(400), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task Headers_of_60_KiB_get_431_problem_and_a_record_and_accented_UTF_8_passes()
    {
        var before = Records(431);
        var (status, body, _) = await RawAsync(Request("/api/v1/instances", Encoding.ASCII.GetBytes("X-Padding: " + new string('a', 60 * 1024))));
        Assert.That(status, Is.EqualTo(431), body);
        Assert.That(Problem(body, 431).GetProperty("type").GetString(), Is.EqualTo("/problems/headers-too-large"));
        Assert.That(Records(431), Is.EqualTo(before + 1));

        var (accented, answer, _) = await RawAsync(Request("/api/v1/instances", Encoding.UTF8.GetBytes("X-Justification: Vérification de la procédure")));
        Assert.That(accented, Is.EqualTo(401), answer + ": valid UTF-8 goes on (to the missing token)");
    }

    [Test]
    public async Task A_target_of_10_KiB_gets_414_problem()
    {
        var (status, body, _) = await RawAsync(Request("/api/v1/instances?q=" + new string('x', 10 * 1024)));
        Assert.That(status, Is.EqualTo(414), body);
        Problem(body, 414);
    }
}
