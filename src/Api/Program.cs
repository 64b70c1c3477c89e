using EtatMajor.SharedKernel;
using System.Text.Json;
using EtatMajor.Api.Auth;
using EtatMajor.Api.Hosting;
using EtatMajor.Api.Http;
using EtatMajor.Api.OpenApi;
using EtatMajor.Modules.Audit;
using EtatMajor.Modules.Confidentiality;
using EtatMajor.Modules.Exchange;
using EtatMajor.Modules.FollowUp;
using EtatMajor.Modules.Governance;
using EtatMajor.Modules.PenalPolicy;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Content;
using EtatMajor.SharedKernel.Law;
using EtatMajor.SharedKernel.Mediation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

if (CommandLine.Command(args) is not null || CommandLine.AsksForHelp(args))
{
    // An operator's command (migrate, clients …, audit …) or a help: System.CommandLine (Hosting/CommandLine.cs).
    return await CommandLine.RunAsync(args, Build);
}

var app = Build(args);
if (app is null)
{
    return 1;
}

// The request as a known proxy saw it; nosniff on every answer.
app.UsePerimeter();
// Routing first, so that the access log sees the endpoint; the access log wraps everything else.
app.UseRouting();
app.UseAccessLog();
// Where the caller stands against its rate limit, on every answer (read when the answer starts, once the caller is known).
app.UseMiddleware<RateLimitHeadersMiddleware>();
app.UseTransportRules();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<BodySizeLimitMiddleware>();
if (SwaggerSetup.Enabled(app.Configuration))
{
    app.UseEtatMajorSwagger();
}
// The token endpoint is answered inside the authentication step (OpenIddict): its limits come before.
app.UseMiddleware<TokenEndpointThrottle>();
app.UseAuthenticationStep();
app.UseMiddleware<CallerCheckMiddleware>();
// Per client, once the token says which; an anonymous request counts against its address.
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<EndpointRequirementsMiddleware>();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth });

// The modules, listed explicitly (no discovery by reflection).
app.MapGovernance();
app.MapAudit();
app.MapConfidentiality();
app.MapExchange();
app.MapFollowUp();
app.MapPenalPolicy();

EndpointGuard.EnsureEveryApiEndpointIsProtected(app);
if (SwaggerSetup.Enabled(app.Configuration))
{
    app.Lifetime.ApplicationStarted.Register(() => SwaggerSetup.AnnounceAddress(app));
}
await app.RunAsync();
return 0;

// The host, configured from the line and the settings; null once a clear sentence has told the operator what is missing.
static WebApplication? Build(string[] args)
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = CommandLine.ContentRoot(args) });
    builder.Configuration.AddCommandLine(args, CommandLine.SwitchMappings);
    Logs.Configure(builder);
    if (CommandLine.Command(args) is not null)
    {
        // An operator's command prints its result on the standard output (JSON, an export): its log goes to the standard error.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
    try
    {
        ConfigureServices(builder);
        builder.AddPerimeter();
        builder.AddEtatMajorTelemetry();
    }
    catch (StartupConfigurationException e)
    {
        // A clear sentence for the operator, not a stack trace.
        Console.Error.WriteLine($"EtatMajor cannot start: {e.Message}");
        return null;
    }
    var app = builder.Build();
    TraceIds.UseTimeOrdered(TimeProvider.System);
    return app;
}

static void ConfigureServices(WebApplicationBuilder builder)
{
    var services = builder.Services;
    var configuration = builder.Configuration;
    var missing = AuthSetup.MissingProductionSettings(configuration, builder.Environment)
        .Concat(AuditModule.MissingProductionSettings(configuration, builder.Environment))
        .Concat(FollowUpModule.MissingProductionSettings(configuration, builder.Environment)).ToList();
    if (missing.Count > 0)
    {
        throw new StartupConfigurationException(
            $"the {builder.Environment.EnvironmentName} environment requires these settings, which are missing: " + string.Join("; ", missing) + ".");
    }

    services.AddSingleton(TimeProvider.System);
    services.AddSingleton(AuthorisingAct.From(configuration, builder.Environment));
    // First of the hosted services: migrations and bootstrap finish before any other starts (they start in order).
    services.AddHostedService<StartupTasks>();
    services.AddDatabase(DatabaseOptions.From(configuration, builder.Environment.ContentRootPath));

    // The pipeline, outermost first (docs/architecture.md): record what happens, validate the input, read and check
    // the content (no lock), store large contents in short transactions of their own, begin the unit of work (a
    // command), decide on the facts read inside it, handle.
    services.AddMediatorPipeline(
        AuditModule.PipelineBehavior,
        typeof(ValidationBehavior<,>),
        ConfidentialityModule.ContentStep,
        typeof(StagingStep<,>),
        typeof(TransactionBehavior<,>),
        ConfidentialityModule.DecisionStep);

    services.AddAudit(configuration, builder.Environment);
    services.AuditUnroutedPath(AuthSetup.TokenPath, new AuditAction("token.issue", AuditOperation.Authentication, "client", null));
    services.AddGovernance(configuration);
    services.AddConfidentiality();
    services.AddExchange(configuration);
    services.AddFollowUp(configuration, builder.Environment);
    services.AddPenalPolicy();

    services.AddEtatMajorHttp();
    services.AddIdempotency(configuration);
    services.AddEtatMajorRateLimits(configuration);
    services.AddEtatMajorAuth(configuration, builder.Environment);
    services.AddEtatMajorSwagger();
    services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"])
        .AddCheck<PersonalDataCheck>("personal-data", tags: ["ready"])
        .AddCheck<EtatMajor.SharedKernel.Jobs.JobsReadyCheck>("jobs", tags: ["ready"]);
}

static Task WriteHealth(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
{
    context.Response.ContentType = "application/json";
    return context.Response.WriteAsync(JsonSerializer.Serialize(new
    {
        status = report.Status.ToString().ToLowerInvariant(),
        checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
    }));
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
