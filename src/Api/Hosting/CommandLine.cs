namespace EtatMajor.Api.Hosting;

/// <summary>
/// What the process is asked to do: serve (no command), `migrate`, `audit …` (the offline verifier), or
/// print its help. The first argument is the command when it is not an option; everything else is
/// configuration (`--urls`, `--environment`, `--data DIR`, `--Section:Key=value`).
/// </summary>
internal static class CommandLine
{
    public const string Usage = """
        EtatMajor API

        Usage:
          EtatMajor.Api [options]               serve the API
          EtatMajor.Api migrate [options]       apply the database migrations and exit (no server, no bootstrap)
          EtatMajor.Api audit verify EXPORT.ndjson --public-key KEY.pem [--public-key KEY2.pem]
                                                verify an access-log export offline (no server, no database)
          EtatMajor.Api --help                  this help

        With the .NET SDK, from the repository: dotnet run --project src/Api -- <command> [options]

        Options:
          --urls URLS           where to listen (dotnet run: http://localhost:5080)
          --environment NAME    Development, Production… (also ASPNETCORE_ENVIRONMENT)
          --data DIR            the folder of the SQLite database (default: data/ in the application's folder)
          --contentRoot DIR     the folder of appsettings*.json (default: the application's folder)
          --Section:Key=value   any setting (also the environment variable Section__Key); see docs/operations.md
        """;

    /// <summary>The command, when the first argument is one (null to serve).</summary>
    public static string? Command(string[] args) => args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;

    public static bool AsksForHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?" or "help");

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
}
