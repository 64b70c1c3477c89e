using System.CommandLine;
using System.Text.Json;
using EtatMajor.Api.Auth;
using EtatMajor.Modules.Audit;
using EtatMajor.Modules.Governance;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Identity;

namespace EtatMajor.Api.Hosting;

/// <summary>
/// What the process is asked to do (issue 15, the operator's command line, System.CommandLine): serve (no command),
/// `migrate`, `clients list|create|disable|enable|rotate-secret`, `audit verify|export|checkpoints`; `--help` at every
/// level. The commands that touch the database build the same host as the server (same configuration, same checks)
/// without starting it, apply the migrations, and run the API's own use cases as the operator: each recorded in the
/// access log under `operator:USER` (the account that ran the command) in the commit of its effect. Everything else on
/// the line is configuration (`--data DIR`, `--environment`, `--Section:Key=value`), as for the server.
/// </summary>
internal static class CommandLine
{
    /// <summary>The options that take the next argument as their value (a configuration key `--Section:Key value` too).</summary>
    private static readonly HashSet<string> WithValue = new(StringComparer.OrdinalIgnoreCase) { "--data", "--urls", "--environment", "--contentRoot" };

    /// <summary>The command: the first argument that is neither an option nor an option's value (null to serve).</summary>
    public static string? Command(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith('-'))
            {
                return args[i];
            }
            if (!args[i].Contains('=', StringComparison.Ordinal) && (WithValue.Contains(args[i]) || args[i].Contains(':', StringComparison.Ordinal)))
            {
                i++;
            }
        }
        return null;
    }

    /// <summary>
    /// What the line holds that no command declares must be configuration (`--Section:Key=value`, `--Section:Key value`):
    /// anything else is a mistake to refuse (`clients disable c-A c-B` would otherwise disable c-A alone, silently).
    /// </summary>
    private static string? Unexpected(ParseResult parsed)
    {
        var tokens = parsed.UnmatchedTokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].StartsWith("--", StringComparison.Ordinal) || !tokens[i].Contains(':', StringComparison.Ordinal))
            {
                return tokens[i];
            }
            if (!tokens[i].Contains('=', StringComparison.Ordinal))
            {
                i++;
            }
        }
        return null;
    }

    public static bool AsksForHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>`--data DIR` is `Database:DataDirectory`.</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--data"] = "Database:DataDirectory",
    };

    /// <summary>
    /// The content root is the application's own folder (where the build or `dotnet publish` put it and its
    /// appsettings*.json), wherever the process was started from; `--contentRoot` or ASPNETCORE_CONTENTROOT
    /// choose another.
    /// </summary>
    public static string? ContentRoot(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            ? null
            : AppContext.BaseDirectory;

    /// <summary>
    /// The operator as the access log names them: the account that ran the command, and the person behind `sudo` when
    /// the command ran as the service's account (`operator:alice as etatmajor`).
    /// </summary>
    private static string Actor => "operator:" + (Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } person && person != Environment.UserName
        ? $"{person} as {Environment.UserName}"
        : Environment.UserName);

    /// <summary>Runs a command (or prints a help); <paramref name="build"/> makes the server's host, or null after saying why it cannot.</summary>
    public static Task<int> RunAsync(string[] args, Func<string[], WebApplication?> build) =>
        Root(args, build).Parse(args).InvokeAsync();

    private static RootCommand Root(string[] args, Func<string[], WebApplication?> build)
    {
        var root = new RootCommand("EtatMajor API. Without a command: serve the API (dotnet run: http://localhost:5080; with the SDK, from the repository: " +
                                   "dotnet run --project src/Api -- <command>).");
        // The server's options, listed for the help; the server itself reads them as configuration.
        root.Options.Add(Configuration("--urls", "Where to listen, e.g. http://0.0.0.0:8080."));
        root.Options.Add(Configuration("--environment", "Development, Production… (also ASPNETCORE_ENVIRONMENT).", recursive: true));
        root.Options.Add(Configuration("--data", "The folder of the SQLite database (default: data/ in the application's folder).", recursive: true));
        root.Options.Add(Configuration("--contentRoot", "The folder of appsettings*.json (default: the application's folder).", recursive: true));
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(parsed =>
        {
            // Reached only with a first word that is no command (serving has no word).
            Console.Error.WriteLine($"Unknown command '{string.Join(' ', parsed.UnmatchedTokens.Take(1))}'. See: EtatMajor.Api --help");
            return 2;
        });

        var migrate = new Command("migrate", "Apply the database migrations and exit (no server, no bootstrap).") { TreatUnmatchedTokensAsErrors = false };
        migrate.SetAction((parsed, ct) => WithHostAsync(parsed, args, build, ct, (_, _, _) =>
        {
            Console.Out.WriteLine("Migrations applied.");
            return Task.FromResult(0);
        }));
        root.Subcommands.Add(migrate);
        root.Subcommands.Add(Clients(args, build));
        root.Subcommands.Add(Audit(args, build));
        return root;
    }

    private static Option<string> Configuration(string name, string description, bool recursive = false) =>
        new(name) { Description = description, Recursive = recursive, HelpName = "VALUE" };

    private static Command Clients(string[] args, Func<string[], WebApplication?> build)
    {
        var clients = new Command("clients", "The API clients (as `admin` has them under /api/v1/clients); each operation is recorded in the access log.");

        var organisation = new Option<Guid?>("--organisation") { Description = "Only the clients of this organisation (its id)." };
        var state = new Option<string?>("--state") { Description = "Only the enabled, or the disabled, clients." };
        state.AcceptOnlyFromAmong("enabled", "disabled");
        var list = new Command("list", "List the clients as JSON (never a secret).") { TreatUnmatchedTokensAsErrors = false };
        list.Options.Add(organisation);
        list.Options.Add(state);
        list.SetAction((parsed, ct) => WithHostAsync(parsed, args, build, ct, async (scope, json, token) =>
        {
            var enabled = parsed.GetValue(state) switch { "enabled" => true, "disabled" => false, _ => (bool?)null };
            Print(json, await GovernanceModule.ListClientsAsync(scope, Actor, parsed.GetValue(organisation), enabled, token));
            return 0;
        }));
        clients.Subcommands.Add(list);

        var createOrganisation = new Option<Guid>("--organisation") { Description = "The organisation the client acts for (its id).", Required = true };
        var name = new Option<string>("--name") { Description = "The client's display name.", Required = true };
        var scopes = new Option<string[]>("--scope")
        {
            Description = $"A scope of the client, repeated for several: {string.Join(", ", Scopes.All)}.", Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var create = new Command("create", "A new client; its secret is printed once, never again.") { TreatUnmatchedTokensAsErrors = false };
        create.Options.Add(createOrganisation);
        create.Options.Add(name);
        create.Options.Add(scopes);
        create.SetAction((parsed, ct) => WithHostAsync(parsed, args, build, ct, async (scope, json, token) =>
        {
            Print(json, await GovernanceModule.CreateClientAsync(scope, Actor, parsed.GetValue(createOrganisation), parsed.GetValue(name)!, parsed.GetValue(scopes)!, token));
            return 0;
        }));
        clients.Subcommands.Add(create);

        clients.Subcommands.Add(OnClient(args, build, "disable", "Disable a client: refused from its next request (within a second on a server sharing the file).",
            GovernanceModule.DisableClientAsync));
        clients.Subcommands.Add(OnClient(args, build, "enable", "Enable a client again; the tokens it obtained before stay refused.", GovernanceModule.EnableClientAsync));
        clients.Subcommands.Add(OnClient(args, build, "rotate-secret",
            "Give a client a new secret, printed once; the old one and the tokens it obtained are refused.", GovernanceModule.RotateClientSecretAsync));
        return clients;
    }

    private static Command OnClient(string[] args, Func<string[], WebApplication?> build, string verb, string description,
        Func<IServiceProvider, string, string, CancellationToken, Task<object>> operation)
    {
        var clientId = new Argument<string>("CLIENT_ID") { Description = "The client's id." };
        var command = new Command(verb, description) { TreatUnmatchedTokensAsErrors = false };
        command.Arguments.Add(clientId);
        command.SetAction((parsed, ct) => WithHostAsync(parsed, args, build, ct, async (scope, json, token) =>
        {
            var result = await operation(scope, Actor, parsed.GetValue(clientId)!, token);
            if (result is MediatR.Unit)
            {
                Console.Out.WriteLine($"Client {parsed.GetValue(clientId)}: {verb}d.");
            }
            else
            {
                Print(json, result);
            }
            return 0;
        }));
        return command;
    }

    private static Command Audit(string[] args, Func<string[], WebApplication?> build)
    {
        var audit = new Command("audit", "The access log (loi 78-17 art. 101): verify an export offline, export, list the checkpoints.");

        var file = new Argument<string>("EXPORT") { Description = "An NDJSON export of the access log (GET /api/v1/audit/events/export, or audit export)." };
        var keys = new Option<string[]>("--public-key") { Description = "A PEM file of public keys (GET /api/v1/audit/keys); repeated for several.", Required = true };
        var trusted = new Option<string?>("--trusted-checkpoints") { Description = "The folder of the checkpoints' copies kept outside the database (Audit:CheckpointSink)." };
        var verify = new Command("verify", "Verify an export offline (no server, no database). Exit code: 0 valid, 1 broken, 2 unusable input.");
        verify.Arguments.Add(file);
        verify.Options.Add(keys);
        verify.Options.Add(trusted);
        verify.SetAction(parsed =>
        {
            var verifierArgs = new List<string> { "verify", parsed.GetValue(file)! };
            foreach (var key in parsed.GetValue(keys)!)
            {
                verifierArgs.AddRange(["--public-key", key]);
            }
            if (parsed.GetValue(trusted) is { } directory)
            {
                verifierArgs.AddRange(["--trusted-checkpoints", directory]);
            }
            return AuditModule.RunCommandAsync(verifierArgs, Console.Out);
        });
        audit.Subcommands.Add(verify);

        var from = new Option<string?>("--from") { Description = "The first instant (RFC 3339, inclusive)." };
        var to = new Option<string?>("--to") { Description = "The end (RFC 3339, exclusive)." };
        var format = new Option<string>("--format") { Description = "ndjson (verifiable) or csv.", DefaultValueFactory = _ => "ndjson" };
        format.AcceptOnlyFromAmong("ndjson", "csv");
        var outputFile = new Option<string?>("--output") { Description = "The file to write (default: the standard output)." };
        var export = new Command("export", "Export the records of a period and the checkpoints that cover them, as GET /api/v1/audit/events/export does.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        export.Options.Add(from);
        export.Options.Add(to);
        export.Options.Add(format);
        export.Options.Add(outputFile);
        export.SetAction((parsed, ct) => WithHostAsync(parsed, args, build, ct, async (scope, _, token) =>
        {
            await using var output = parsed.GetValue(outputFile) is { } path ? File.Create(path) : Console.OpenStandardOutput();
            await AuditModule.ExportAsync(scope, Actor, parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(format), output, token);
            return 0;
        }));
        audit.Subcommands.Add(export);

        var checkpoints = new Command("checkpoints", "List the signed checkpoints of the access log as JSON.") { TreatUnmatchedTokensAsErrors = false };
        checkpoints.SetAction((parsed, ct) => WithHostAsync(parsed, args, build, ct, async (scope, json, token) =>
        {
            Print(json, await AuditModule.CheckpointsAsync(scope, Actor, token));
            return 0;
        }));
        audit.Subcommands.Add(checkpoints);
        return audit;
    }

    /// <summary>
    /// The server's host, built and migrated but not started; the action runs in a scope whose caller is the operator
    /// (an administrator of no organisation's). A problem is printed as the API would say it, with exit code 1.
    /// </summary>
    private static async Task<int> WithHostAsync(ParseResult parsed, string[] args, Func<string[], WebApplication?> build, CancellationToken cancellationToken,
        Func<IServiceProvider, JsonSerializerOptions, CancellationToken, Task<int>> action)
    {
        if (Unexpected(parsed) is { } unexpected)
        {
            await Console.Error.WriteLineAsync($"Unexpected argument '{unexpected}' (configuration is --Section:Key=value). See: EtatMajor.Api {parsed.CommandResult.Command.Name} --help");
            return 2;
        }
        await using var app = build(args);
        if (app is null)
        {
            return 1;
        }
        var migrator = app.Services.GetRequiredService<DatabaseMigrator>();
        if (parsed.CommandResult.Command.Name == "migrate")
        {
            migrator.Migrate();
        }
        else if (migrator.Pending().Count > 0)
        {
            // A command never changes the schema under running servers: `migrate` does, when the operator decides.
            await Console.Error.WriteLineAsync("The database is not at this version's schema: run `migrate` first (with the same settings).");
            return 1;
        }
        await using var scope = app.Services.CreateAsyncScope();
        ((HttpCallerAccessor)scope.ServiceProvider.GetRequiredService<ICallerAccessor>()).ActAs(
            new Caller(Actor, Guid.Empty, OrganisationKind.Administrateur, new HashSet<string>(StringComparer.Ordinal) { Scopes.Admin }, null));
        var json = new JsonSerializerOptions(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
            .Value.SerializerOptions) { WriteIndented = true };
        try
        {
            return await action(scope.ServiceProvider, json, cancellationToken);
        }
        catch (RequestValidationException invalid)
        {
            await Console.Error.WriteLineAsync($"Invalid request: {string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}");
            return 1;
        }
        catch (System.Data.Common.DbException database)
        {
            // A locked or failing database: its message names no value (SQLite's and SQL Server's errors name tables and codes).
            await Console.Error.WriteLineAsync($"The database refused the command ({database.GetType().Name}: {database.Message}). Nothing was changed; retry.");
            return 1;
        }
        catch (ProblemException problem)
        {
            var field = problem is UnprocessableException unprocessable ? $" ({unprocessable.Field})" : "";
            var rule = problem.Rule is { } legal ? $" [{legal.Id}, {legal.LegalBasis}]" : "";
            await Console.Error.WriteLineAsync($"{problem.Title}{field}{rule}: {problem.Message}");
            return 1;
        }
    }

    private static void Print(JsonSerializerOptions json, object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), json));
}
