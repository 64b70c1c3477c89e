using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace EtatMajor.SharedKernel.Law;

/// <summary>
/// DATA-1 (loi 78-17 art. 31 and 89): the regulatory act — an arrêté or a décret, after the CNIL's opinion — that
/// authorises this processing of personal data, as the deployment names it: its NOR
/// (`Processing:AuthorisingAct:Reference`) and the CNIL deliberation (`Processing:AuthorisingAct:CnilDeliberation`).
/// Without both, no personal data is stored outside Development: exchanges, their attachments, minutes and
/// designations are refused (403 DATA-1), and /health/ready says so. Development runs with a placeholder, which
/// counts as missing anywhere else.
/// </summary>
public sealed record AuthorisingAct(string? Reference, string? CnilDeliberation, bool Development)
{
    public const string Section = "Processing:AuthorisingAct";
    public const string ReferenceKey = Section + ":Reference";
    public const string CnilDeliberationKey = Section + ":CnilDeliberation";

    /// <summary>What appsettings.Development.json says: never an act, only a way to try the API on a workstation.</summary>
    public const string Placeholder = "DEVELOPMENT-PLACEHOLDER";

    /// <summary>A NOR is 12 characters, a deliberation's number about 20: a longer setting is not a reference, and counts as missing.</summary>
    public const int MaxLength = 200;

    public static AuthorisingAct From(IConfiguration configuration, IHostEnvironment environment) =>
        new(Setting(configuration[ReferenceKey]), Setting(configuration[CnilDeliberationKey]), environment.IsDevelopment());

    private static string? Setting(string? value) => value?.Trim() is { Length: <= MaxLength } trimmed ? trimmed : null;

    /// <summary>The settings that are missing (a placeholder outside Development is missing too).</summary>
    public IReadOnlyList<string> Missing =>
        new[] { (ReferenceKey, Reference), (CnilDeliberationKey, CnilDeliberation) }
            .Where(s => string.IsNullOrWhiteSpace(s.Item2) || (!Development && s.Item2.StartsWith(Placeholder, StringComparison.OrdinalIgnoreCase)))
            .Select(s => s.Item1)
            .ToList();

    /// <summary>True when personal data may be stored here.</summary>
    public bool PermitsPersonalData => Missing.Count == 0;
}
