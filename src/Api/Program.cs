using System.Text.Json;
using EtatMajor.Api.Auth;
using EtatMajor.Api.Hosting;
using EtatMajor.Api.Http;
using EtatMajor.Api.OpenApi;
using EtatMajor.Modules.Governance;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Mediation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);
var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('='));

try
{
    ConfigureServices(builder);
}
catch (StartupConfigurationException e)
{
    // A clear sentence for the operator, not a stack trace.
    await Console.Error.WriteLineAsync($"EtatMajor cannot start: {e.Message}");
    return 1;
}

var app = builder.Build();

if (command == "migrate")
{
    app.Services.GetRequiredService<DatabaseMigrator>().Migrate();
    await Console.Out.WriteLineAsync("Migrations applied.");
    return 0;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<BodySizeLimitMiddleware>();
if (SwaggerSetup.Enabled(app.Configuration))
{
    app.UseEtatMajorSwagger();
}
app.UseAuthentication();
app.UseMiddleware<CallerCheckMiddleware>();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth });

// The modules, listed explicitly (no discovery by reflection).
app.MapGovernance();

EndpointGuard.EnsureEveryApiEndpointIsProtected(app);
await app.RunAsync();
return 0;

static void ConfigureServices(WebApplicationBuilder builder)
{
    var services = builder.Services;
    var configuration = builder.Configuration;

    services.AddSingleton(TimeProvider.System);
    var database = DatabaseOptions.From(configuration, builder.Environment.ContentRootPath);
    TypeHandlers.Register();
    services.AddSingleton(database);
    services.AddSingleton<ConnectionFactory>();
    services.AddSingleton<ISqlDialect>(database.Provider == DatabaseProvider.Sqlite ? new SqliteDialect() : new SqlServerDialect());
    services.AddScoped<IDbSession, DbSession>();
    services.AddSingleton<DatabaseMigrator>();

    // The pipeline, outermost first.
    services.AddMediatorPipeline(typeof(ValidationBehavior<,>), typeof(TransactionBehavior<,>));

    services.AddGovernance(configuration);

    services.AddEtatMajorHttp();
    services.AddEtatMajorAuth(configuration, builder.Environment);
    services.AddEtatMajorSwagger();
    services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
    services.AddHostedService<StartupTasks>();
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
