using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Hardening;

/// <summary>Issue 14, must-have 4: every POST accepts an Idempotency-Key; a retry has one effect (conventions.md).</summary>
public sealed class IdempotencyTests(DatabaseProvider provider) : ApiTest(provider)
{
    private ExchangeWorld world = null!;

    [OneTimeSetUp]
    public async Task CreateWorld() => world = await ExchangeWorld.CreateAsync(Api);

    private HttpRequestMessage Send(string key, string body = "Point de situation", string subject = "Situation") =>
        Keyed(HttpMethod.Post, $"/api/v1/instances/{world.Instance}/exchanges", key,
            new { subject, body, recipientOrganisationIds = new[] { world.Gendarmerie.OrganisationId }, attachments = Array.Empty<object>() });

    private static HttpRequestMessage Keyed(HttpMethod method, string uri, string key, object body)
    {
        var request = new HttpRequestMessage(method, uri) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    private long Sent(string subject) => Database.Scalar(Api, $"SELECT COUNT(*) FROM ex_exchanges WHERE subject = '{subject}'");

    private long Keys(string key) => Database.Scalar(Api, $"SELECT COUNT(*) FROM idem_keys WHERE idem_key = '{key}'");

    [Test]
    public async Task A_retry_with_the_same_key_and_body_gets_the_first_response_back_and_acts_once()
    {
        var key = $"\"{Guid.NewGuid()}\"";
        var subject = TestApi.UniqueCode("retry");
        using var first = await world.Police.Http.SendAsync(Send(key, subject: subject));
        var created = await Json.ReadAsync(first, HttpStatusCode.Created);
        using var retry = await world.Police.Http.SendAsync(Send(key, subject: subject));
        var replayed = await Json.ReadAsync(retry, HttpStatusCode.Created);
        Assert.Multiple(() =>
        {
            Assert.That(replayed.GetProperty("id").GetGuid(), Is.EqualTo(created.GetProperty("id").GetGuid()), "the stored response");
            Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(retry.Headers.GetValues("Idempotency-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That(first.Headers.Contains("Idempotency-Replayed"), Is.False);
            Assert.That(Sent(subject), Is.EqualTo(1), "one effect");
            Assert.That(Keys(key.Trim('"')), Is.EqualTo(1));
        });
        // The replay is a request too: recorded, under the resource the first one created.
        var id = created.GetProperty("id").GetGuid().ToString();
        Assert.That(AuditLog.Scalar(Api, $"SELECT COUNT(*) FROM aud_events WHERE action = 'exchange.send' AND resource_id = '{id}' AND status = 201"), Is.EqualTo(2));
    }

    [Test]
    public async Task The_same_key_with_another_body_or_path_gets_422_and_nothing_is_done()
    {
        var key = Guid.NewGuid().ToString();
        var subject = TestApi.UniqueCode("reuse");
        using var first = await world.Police.Http.SendAsync(Send(key, subject: subject));
        await Json.ReadAsync(first, HttpStatusCode.Created);
        using var other = await world.Police.Http.SendAsync(Send(key, body: "Un autre texte", subject: subject));
        var problem = await Json.ProblemAsync(other, (HttpStatusCode)422);
        using var otherPath = await world.Police.Http.SendAsync(Keyed(HttpMethod.Post, $"/api/v1/instances/{world.Instance}/exchanges/check", key, new { }));
        await Json.ProblemAsync(otherPath, (HttpStatusCode)422);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/idempotency-key-reused"));
            Assert.That(Sent(subject), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Keys_are_scoped_to_the_client_another_client_may_use_the_same_key()
    {
        var key = Guid.NewGuid().ToString();
        var subject = TestApi.UniqueCode("scoped");
        using var police = await world.Police.Http.SendAsync(Send(key, subject: subject));
        using var prefet = await world.Prefet.Http.SendAsync(Send(key, subject: subject));
        var (a, b) = (await Json.ReadAsync(police, HttpStatusCode.Created), await Json.ReadAsync(prefet, HttpStatusCode.Created));
        Assert.Multiple(() =>
        {
            Assert.That(a.GetProperty("id").GetGuid(), Is.Not.EqualTo(b.GetProperty("id").GetGuid()), "never another client's response");
            Assert.That(prefet.Headers.Contains("Idempotency-Replayed"), Is.False);
            Assert.That(Sent(subject), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_refused_request_spends_no_key_its_corrected_retry_is_judged_afresh()
    {
        var key = Guid.NewGuid().ToString();
        var subject = TestApi.UniqueCode("refused");
        using var invalid = await world.Police.Http.SendAsync(Send(key, body: "", subject: subject));
        await Json.ProblemAsync(invalid, HttpStatusCode.BadRequest);
        var toStranger = Keyed(HttpMethod.Post, $"/api/v1/instances/{world.Instance}/exchanges", key, new
        {
            subject, body = "Point", recipientOrganisationIds = new[] { world.Stranger.OrganisationId }, attachments = Array.Empty<object>(),
        });
        using var denied = await world.Police.Http.SendAsync(toStranger);
        await Json.RuleViolationAsync(denied, HttpStatusCode.Forbidden, "CONF-1");
        Assert.That(Keys(key), Is.Zero, "nothing committed, no key");
        using var corrected = await world.Police.Http.SendAsync(Send(key, subject: subject));
        await Json.ReadAsync(corrected, HttpStatusCode.Created);
        Assert.That(Sent(subject), Is.EqualTo(1));
    }

    [Test]
    public async Task A_duplicate_sent_while_the_first_is_running_gets_409_and_only_one_acts()
    {
        var key = Guid.NewGuid().ToString();
        var subject = TestApi.UniqueCode("concurrent");
        HttpStatusCode[] statuses;
        // Another writer holds the database: the first request to take the key waits at its commit, the other finds
        // the key in flight and gets 409 at once (whichever of the two came first).
        await using (var writer = Database.Open(Api))
        {
            await using var transaction = await writer.BeginTransactionAsync();
            await using (var hold = writer.CreateCommand())
            {
                hold.Transaction = transaction;
                hold.CommandText = "UPDATE aud_head SET seq = seq";
                await hold.ExecuteNonQueryAsync();
            }
            var both = new[] { world.Police.Http.SendAsync(Send(key, subject: subject)), world.Police.Http.SendAsync(Send(key, subject: subject)) };
            await Task.Delay(TimeSpan.FromSeconds(2));
            await transaction.RollbackAsync();
            statuses = (await Task.WhenAll(both)).Select(r => r.StatusCode).ToArray();
        }
        Assert.Multiple(() =>
        {
            Assert.That(statuses.Order(), Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
            Assert.That(Sent(subject), Is.EqualTo(1));
        });
        using var retry = await world.Police.Http.SendAsync(Send(key, subject: subject));
        await Json.ReadAsync(retry, HttpStatusCode.Created);
        Assert.That(retry.Headers.Contains("Idempotency-Replayed"), Is.True, "once answered, the duplicate's retry gets the response");
    }

    [Test]
    public async Task A_key_expires_after_24_hours_then_the_same_key_acts_again()
    {
        var key = Guid.NewGuid().ToString();
        var subject = TestApi.UniqueCode("expiry");
        using var first = await world.Police.Http.SendAsync(Send(key, subject: subject));
        await Json.ReadAsync(first, HttpStatusCode.Created);
        Api.Clock.Advance(TimeSpan.FromHours(23));
        using var within = await world.Police.Http.SendAsync(Send(key, subject: subject));
        Assert.That(within.Headers.Contains("Idempotency-Replayed"), Is.True);
        Api.Clock.Advance(TimeSpan.FromHours(2));
        using var after = await world.Police.Http.SendAsync(Send(key, subject: subject));
        await Json.ReadAsync(after, HttpStatusCode.Created);
        Assert.Multiple(async () =>
        {
            Assert.That(after.Headers.Contains("Idempotency-Replayed"), Is.False);
            Assert.That(Sent(subject), Is.EqualTo(2));
            Assert.That(Keys(key), Is.EqualTo(1), "the expired row gave way to the new one");
            Api.Clock.Advance(TimeSpan.FromHours(25));
            await Api.Factory.RunJobAsync("idempotency.expiry");
            Assert.That(Keys(key), Is.Zero, "the hourly job removes expired keys");
        });
    }

    [Test]
    public async Task A_secret_shown_once_is_not_kept_with_the_key_a_retry_is_told_what_was_created()
    {
        var admin = await Api.AdminAsync();
        var organisation = await Api.CreateOrganisationAsync(TestApi.UniqueCode("secret"), "police-nationale", TestApi.FreshDepartement());
        var key = Guid.NewGuid().ToString();
        object Body() => new { organisationId = organisation, displayName = "Logiciel", scopes = new[] { "exchange" } };
        using var first = await admin.SendAsync(Keyed(HttpMethod.Post, "/api/v1/clients", key, Body()));
        var created = await Json.ReadAsync(first, HttpStatusCode.Created);
        var secret = created.GetProperty("clientSecret").GetString()!;
        using var retry = await admin.SendAsync(Keyed(HttpMethod.Post, "/api/v1/clients", key, Body()));
        var problem = await Json.ProblemAsync(retry, HttpStatusCode.Conflict);
        var stored = Database.Query<byte[]?>(Api, $"SELECT body FROM idem_keys WHERE idem_key = '{key}'").Single();
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(created.GetProperty("clientId").GetString()));
            Assert.That(problem.ToString(), Does.Not.Contain(secret));
            Assert.That(stored, Is.Null, "no copy of the answer, and so of the secret");
            Assert.That(Database.Scalar(Api, $"SELECT COUNT(*) FROM gov_clients WHERE organisation_id = '{organisation}'"), Is.EqualTo(1), "one client");
        });
    }

    [TestCase("\"\"")]
    [TestCase("k-256-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [TestCase("clé-accentuée")]
    public async Task An_invalid_key_gets_400_naming_the_header(string key)
    {
        using var response = await world.Police.Http.SendAsync(Send(key));
        var problem = await Json.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Every_POST_accepts_a_key_creating_an_instance_twice_under_one_key_creates_one()
    {
        var departement = TestApi.FreshDepartement();
        var prefet = await Api.ActorAsync("prefet", departement, "governance");
        var procureur = await Api.ActorAsync("procureur", departement, "governance");
        var key = Guid.NewGuid().ToString();
        object Body() => new
        {
            kind = "ems", departement, name = $"EMS {departement}", prefetOrganisationId = prefet.OrganisationId,
            procureurOrganisationIds = new[] { procureur.OrganisationId },
        };
        using var first = await prefet.Http.SendAsync(Keyed(HttpMethod.Post, "/api/v1/instances", key, Body()));
        using var retry = await prefet.Http.SendAsync(Keyed(HttpMethod.Post, "/api/v1/instances", key, Body()));
        var (a, b) = (await Json.ReadAsync(first, HttpStatusCode.Created), await Json.ReadAsync(retry, HttpStatusCode.Created));
        Assert.That(b.GetProperty("id").GetGuid(), Is.EqualTo(a.GetProperty("id").GetGuid()), "not 409 for a duplicate EMS: the same answer");
    }
}
