using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EtatMajor.Modules.Confidentiality.Contracts;

namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>A sign, in text, that a document belongs to a criminal procedure (CONF-2).</summary>
internal sealed record Marker(string Id, string Label, Regex Pattern);

/// <summary>
/// The one catalogue of CONF-2 markers (R132-6-1 III, last paragraph: no piece of a criminal procedure
/// travels through an exchange). Text is normalised first — lower case, accents removed, hyphens, dots and
/// apostrophes read as spaces, runs of spaces collapsed — so "Procès-Verbal", "PROCES VERBAL" and
/// "proces  verbal" are one marker. Each marker has tests, and near-misses that must pass.
/// </summary>
internal static partial class Markers
{
    public static IReadOnlyList<Marker> All { get; } =
    [
        new("proces-verbal", "procès-verbal", ProcesVerbal()),
        new("pv-numero", "PV n°", PvNumero()),
        new("pv-audition", "PV d'audition", PvAudition()),
        new("requisitoire", "réquisitoire / réquisitions", Requisitoire()),
        new("ordonnance", "ordonnance de …", Ordonnance()),
        new("commission-rogatoire", "commission rogatoire", CommissionRogatoire()),
        new("rapport-expertise", "rapport d'expertise", RapportExpertise()),
        new("jugement-tribunal", "jugement du tribunal", JugementTribunal()),
        new("numero-parquet", "numéro de parquet", NumeroParquet()),
        new("casier-judiciaire", "casier judiciaire / bulletin n° 1", CasierJudiciaire()),
    ];

    /// <summary>Every marker found in a text, with the matching words and where they are.</summary>
    public static IEnumerable<MarkerFound> Find(string text, string location)
    {
        var normalised = Normalise(text);
        foreach (var marker in All)
        {
            var match = marker.Pattern.Match(normalised);
            if (match.Success)
            {
                yield return new MarkerFound(marker.Id, marker.Label, location, match.Value.Trim());
            }
        }
    }

    public static string Normalise(string text)
    {
        // Invisible format characters (soft hyphen, zero-width space, BOM) would split a word without showing
        // it, and accents left spacing by a badly encoded PDF ("PROC¨S") would split it with a space once
        // normalised: both go first. Then compatibility forms (ligatures, full-width letters), then accents.
        var visible = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format && c is not ('¨' or '´' or '^' or '˜' or '¸' or 'ˆ'))
            {
                visible.Append(c);
            }
        }
        var decomposed = visible.ToString().Normalize(NormalizationForm.FormKC).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            builder.Append(c switch
            {
                '-' or '‐' or '‑' or '–' or '—' or '_' or '.' or '\'' or '’' or '‘' or '`' => ' ',
                'º' => '°',
                _ when char.IsWhiteSpace(c) => ' ',
                _ => char.ToLowerInvariant(c),
            });
        }
        return MultipleSpaces().Replace(builder.ToString(), " ");
    }

    // "n°", "no", "num", "numero" after normalisation.
    private const string Numero = @"(?:n\s?°|no|num|numero)";

    // "proc?s" tolerates the vowel a badly encoded PDF loses with its accent.
    [GeneratedRegex(@"\bproc(?:e|)s\s?verba(?:l|ux)\b")]
    private static partial Regex ProcesVerbal();

    [GeneratedRegex(@"\bp\s?v\s?" + Numero + @"\s?:?\s?\d")]
    private static partial Regex PvNumero();

    [GeneratedRegex(@"\bp\s?v\s(?:d\s)?audition\b")]
    private static partial Regex PvAudition();

    [GeneratedRegex(@"\b(?:requisitoire|requisitions)\b")]
    private static partial Regex Requisitoire();

    [GeneratedRegex(@"\bordonnance\s(?:de|du|d)\s")]
    private static partial Regex Ordonnance();

    [GeneratedRegex(@"\bcommissions?\s?rogatoires?\b")]
    private static partial Regex CommissionRogatoire();

    [GeneratedRegex(@"\brapport\s(?:d\s)?expertise\b")]
    private static partial Regex RapportExpertise();

    [GeneratedRegex(@"\bjugement\s(?:du|de\sla|rendu\spar\sle)\s(?:tribunal|cour)\b")]
    private static partial Regex JugementTribunal();

    [GeneratedRegex(@"\b(?:" + Numero + @"\s?(?:de\s)?parquet|parquet\s?" + Numero + @"?)\s?:?\s?\d[\d\s/]{5,}\d")]
    private static partial Regex NumeroParquet();

    [GeneratedRegex(@"\b(?:casier\sjudiciaire|bulletin\s?" + Numero + @"?\s?(?:1|un)\b)")]
    private static partial Regex CasierJudiciaire();

    [GeneratedRegex(@" {2,}")]
    private static partial Regex MultipleSpaces();
}
