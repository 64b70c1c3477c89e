using System.Net;
using System.Net.Http.Json;
using EtatMajor.Api.Http;
using EtatMajor.Modules.Confidentiality.Contracts;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Disclosures;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Jobs;
using EtatMajor.SharedKernel.Law;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>A sender rule another module could contribute: here, no mayor discloses anything (decided before the instance is looked up).</summary>
internal sealed class NoMayorSendsRule : IPolicyRule
{
    public static readonly LegalRule Test = new("TEST-1", "Règle de test", "A rule contributed from outside the Confidentiality module.");

    public LegalRule Rule => Test;

    public string ProblemType => "/problems/test-sender";

    public string Description => Test.Summary;

    public RuleStage Stage => RuleStage.Sender;

    public IEnumerable<Finding> Evaluate(PolicyContext context) =>
        context.Sender.Kind == OrganisationKind.Maire ? [new Finding(new Violation(Rule, "A mayor sends nothing here."))] : [];
}

/// <summary>A job another module could contribute: each run writes a system record of the access log, in the run's unit of work.</summary>
internal sealed class RecordingJob(ISystemAccessLog accessLog) : IJob
{
    public const string Name = "test.recording";

    public Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        run.Enlist(accessLog.Record(new SystemRecord("test.job-ran", AuditOperation.Modification, "job", Name)));
        return Task.CompletedTask;
    }
}

/// <summary>A job that fails after enlisting its record: nothing of it may be kept.</summary>
internal sealed class FailingJob(ISystemAccessLog accessLog) : IJob
{
    public const string Name = "test.failing";

    public Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        run.Enlist(accessLog.Record(new SystemRecord("test.job-failed", AuditOperation.Modification, "job", Name)));
        throw new InvalidOperationException("injected: the job fails after its writes");
    }
}

/// <summary>
/// Issue 9: the seams a new module builds on — a policy rule, a job with its lease, declared endpoint requirements
/// — used from outside the modules that own them, as the follow-up module will.
/// </summary>
public sealed class SeamTests
{
    private static TestApi Start() => new(new ApiFactory(services: services =>
    {
        services.AddSingleton<IPolicyRule, NoMayorSendsRule>();
        services.AddJob<RecordingJob>(RecordingJob.Name, TimeSpan.FromMinutes(10));
        services.AddJob<FailingJob>(FailingJob.Name, TimeSpan.FromMinutes(10));
    }));

    [Test]
    public async Task A_rule_contributed_from_outside_decides_before_the_instance_is_known_and_is_listed_in_the_catalogue()
    {
        using var api = Start();
        var mayor = await api.ActorAsync("maire", TestApi.FreshDepartement(), "exchange");
        using var refused = await mayor.Http.PostAsJsonAsync($"/api/v1/instances/{Guid.NewGuid()}/exchanges",
            new { subject = "s", body = "b", recipientOrganisationIds = new[] { Guid.NewGuid() } });
        var problem = await Json.RuleViolationAsync(refused, HttpStatusCode.Forbidden, "TEST-1");
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/test-sender"), "the rule's own problem type");

        var police = await api.ActorAsync("police-nationale", TestApi.FreshDepartement(), "exchange");
        using var stranger = await police.Http.PostAsJsonAsync($"/api/v1/instances/{Guid.NewGuid()}/exchanges",
            new { subject = "s", body = "b", recipientOrganisationIds = new[] { Guid.NewGuid() } });
        await Json.ProblemAsync(stranger, HttpStatusCode.NotFound);

        using var catalogue = await police.Http.GetAsync("/api/v1/policy/rules");
        var rules = (await Json.ReadAsync(catalogue, HttpStatusCode.OK)).GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString());
        Assert.That(rules, Does.Contain("TEST-1").And.Contain("CONF-1"));
    }

    [Test]
    public async Task A_job_runs_when_due_once_across_runners_and_commits_its_records_with_it()
    {
        using var api = Start();
        var first = api.Factory.Services.GetRequiredService<JobRunner>();
        // A second API instance on the same database: another runner, another lease holder.
        var second = ActivatorUtilities.CreateInstance<JobRunner>(api.Factory.Services);
        long Runs() => Database.Scalar(api, "SELECT COUNT(*) FROM aud_events WHERE action = 'test.job-ran'");

        Assert.That(await first.RunDueAsync(RecordingJob.Name, CancellationToken.None), Is.True, "due at once");
        Assert.That(await second.RunDueAsync(RecordingJob.Name, CancellationToken.None), Is.False, "not due again on the other instance");
        Assert.That(await first.RunDueAsync(RecordingJob.Name, CancellationToken.None), Is.False, "nor on this one");
        api.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.That(await second.RunDueAsync(RecordingJob.Name, CancellationToken.None), Is.True, "due again, and the other instance takes it");
        Assert.That(Runs(), Is.EqualTo(2));
    }

    [Test]
    public async Task A_lease_held_by_a_live_instance_is_respected_and_a_crashed_holder_is_replaced_when_its_lease_runs_out()
    {
        using var api = Start();
        var runner = api.Factory.Services.GetRequiredService<JobRunner>();
        await runner.RunNowAsync(RecordingJob.Name, CancellationToken.None);
        var until = api.Clock.GetUtcNow().AddMinutes(5);
        Database.Execute(api, Database.For(api,
            $"UPDATE job_leases SET holder = 'crashed-instance', lease_until = '{TypeHandlers.SqliteInstant(until)}' WHERE name = '{RecordingJob.Name}'",
            $"UPDATE job_leases SET holder = 'crashed-instance', lease_until = '{until:O}' WHERE name = '{RecordingJob.Name}'"));
        Assert.That(await runner.RunNowAsync(RecordingJob.Name, CancellationToken.None), Is.False, "another instance holds the lease");
        api.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.That(await runner.RunNowAsync(RecordingJob.Name, CancellationToken.None), Is.True, "its lease ran out: taken over");
        Assert.That(Database.Scalar(api, $"SELECT COUNT(*) FROM job_leases WHERE name = '{RecordingJob.Name}' AND holder IS NULL"), Is.EqualTo(1), "released after the run");
    }

    [Test]
    public async Task A_failed_job_keeps_nothing_frees_its_lease_and_is_due_again()
    {
        using var api = Start();
        var runner = api.Factory.Services.GetRequiredService<JobRunner>();
        Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunNowAsync(FailingJob.Name, CancellationToken.None));
        Assert.Multiple(async () =>
        {
            Assert.That(Database.Scalar(api, "SELECT COUNT(*) FROM aud_events WHERE action = 'test.job-failed'"), Is.Zero, "its record rolled back with it");
            Assert.That(Database.Scalar(api, $"SELECT COUNT(*) FROM job_leases WHERE name = '{FailingJob.Name}' AND holder IS NULL AND last_run_at IS NULL"), Is.EqualTo(1));
            Assert.That(await runner.RunDueAsync(FailingJob.Name, CancellationToken.None), Is.False, "it fails again, due at once");
        });
    }
}

/// <summary>The declared endpoint requirements, checked by the middleware on any endpoint that declares them.</summary>
public sealed class EndpointRequirementsTests
{
    private static async Task<(WebApplication App, HttpClient Http)> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(new AuthorisingAct(AuthorisingAct.Placeholder, "2026-001", Development: false));
        var app = builder.Build();
        app.UseRouting();
        app.UseMiddleware<EndpointRequirementsMiddleware>();
        app.MapGet("/api/v1/things/{id}", (string id) => $"thing {id}").PersonalData().RequireJustification();
        app.MapPut("/api/v1/things/{id}", (string id) => Results.NoContent()).Versioned();
        app.MapPost("/api/v1/things", () => Results.Created()).StoresPersonalData();
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    [Test]
    public async Task LOG_1_a_read_of_personal_data_without_a_motif_gets_400_naming_the_header_and_the_rule()
    {
        var (app, http) = await StartAsync();
        await using var _ = app;
        using var without = await http.GetAsync("/api/v1/things/1");
        var problem = await Json.ReadAsync(without, HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("errors").TryGetProperty("X-Justification", out var motif), Is.True, motif.ToString());
            Assert.That(problem.GetProperty("ruleId").GetString(), Is.EqualTo("LOG-1"));
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/things/1");
        request.Headers.Add("X-Justification", "suivi de la situation du quartier");
        using var with = await http.SendAsync(request);
        Assert.That(await with.Content.ReadAsStringAsync(), Is.EqualTo("thing 1"));
    }

    [Test]
    public async Task DATA_1_what_stores_personal_data_is_refused_while_no_authorising_act_is_named_a_placeholder_counts_as_none()
    {
        var (app, http) = await StartAsync();
        await using var _ = app;
        using var refused = await http.PostAsync("/api/v1/things", null);
        var problem = await Json.RuleViolationAsync(refused, HttpStatusCode.Forbidden, "DATA-1");
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("/problems/no-authorising-act"));
            Assert.That(problem.GetProperty("missingSettings").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "Processing:AuthorisingAct:Reference" }));
        });
        Assert.Multiple(() =>
        {
            Assert.That(new AuthorisingAct("INTX2600001A", "2026-001", Development: false).PermitsPersonalData, Is.True);
            Assert.That(new AuthorisingAct(AuthorisingAct.Placeholder, AuthorisingAct.Placeholder, Development: true).PermitsPersonalData, Is.True);
            Assert.That(new AuthorisingAct("INTX2600001A", " ", Development: false).Missing, Is.EqualTo(new[] { "Processing:AuthorisingAct:CnilDeliberation" }));
        });
    }

    [Test]
    public async Task An_update_of_a_versioned_resource_without_If_Match_gets_428()
    {
        var (app, http) = await StartAsync();
        await using var _ = app;
        using var without = await http.PutAsync("/api/v1/things/1", null);
        Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionRequired));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/things/1");
        request.Headers.TryAddWithoutValidation("If-Match", "\"v1\"");
        using var with = await http.SendAsync(request);
        Assert.That(with.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }
}
