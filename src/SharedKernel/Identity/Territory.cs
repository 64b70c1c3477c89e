using System.Text.RegularExpressions;

namespace EtatMajor.SharedKernel.Identity;

/// <summary>French département codes and INSEE commune codes.</summary>
public static partial class Territory
{
    public const string DepartementHint = "must be a French département code: 01 to 95, 2A, 2B, or 971 to 976";

    /// <summary>01–95 (20 became 2A and 2B in 1976), 2A, 2B, 971–976.</summary>
    public static bool IsDepartement(string? code) => code is not null && DepartementPattern().IsMatch(code) && code != "20";

    /// <summary>Five characters: two département digits (or 2A/2B) and three commune digits; overseas 97x and two.</summary>
    public static bool IsCommuneInsee(string? code) => code is not null && CommunePattern().IsMatch(code);

    /// <summary>An INSEE commune code begins with its département's code.</summary>
    public static bool CommuneIsIn(string commune, string departement) =>
        commune.StartsWith(departement, StringComparison.Ordinal)
        && (departement.Length == 3 || !commune.StartsWith("97", StringComparison.Ordinal));

    private const string Departement = "^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])";
    private const string Commune = "^([0-9]{5}|2[AB][0-9]{3})";

    /// <summary>A département code, as the contract states it; "20" matches but is refused (Corsica is 2A and 2B).</summary>
    public const string DepartementRegex = Departement + "$";

    /// <summary>An INSEE commune code, as the contract states it.</summary>
    public const string CommuneRegex = Commune + "$";

    // \z, not $: .NET's $ also matches before a final line feed ("33\n" would pass, and be stored).
    [GeneratedRegex(Departement + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex DepartementPattern();

    [GeneratedRegex(Commune + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex CommunePattern();
}
