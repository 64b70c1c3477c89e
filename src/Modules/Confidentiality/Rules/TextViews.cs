using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>
/// The ways CONF-2 reads one text, so that what a person would read is what the markers see, however the text was
/// written to hide it:
/// - <see cref="Normalise"/>: invisible characters out; compatibility forms (ligatures, full-width, mathematical
///   letters) and look-alike letters of other scripts (Cyrillic, Greek, small capitals) folded to Latin; accents
///   removed; lower case; every dash, dot, slash, apostrophe and other separator read as a space;
/// - <see cref="Views"/>: that text, the same with letter-spaced runs joined ("p r o c e s" → "proces"), and the
///   same with line breaks inside words undone ("proc" + line break + "ès" → "procès"); and, for the long markers
///   only, the text with no space at all (<see cref="Squeezed"/>), which defeats words split anywhere.
/// Bidirectional controls (a right-to-left override shows letters in another order than they are stored) are not
/// folded: <see cref="HasDirectionControls"/> says the text cannot be read as stored, and the rule holds it.
/// </summary>
internal static partial class TextViews
{
    /// <summary>Look-alike letters from other scripts, folded to the Latin letter a reader sees (pairs: letter, Latin letter).</summary>
    private static readonly Dictionary<char, char> Confusables = Build(
        // Cyrillic
        "аaеeоoрpсcуyхxіiјjѕsԁdԛqԝwһhӏlкkмmнhтtвbгrпnёeїiАaВbЕeКkМmНhОoРpСcТtУyХxІiЈjЅsԀdԚqԜwҺhӀl" +
        // Greek
        "αaβbγyδdεeζzηnθoιiκkλlμuνvοoρpσoτtυuφfχxωwΑaΒbΕeΖzΗhΙiΚkΜmΝnΟoΡpΤtΥyΧx" +
        // Latin small capitals and other look-alikes
        "ᴀaʙbᴄcᴅdᴇeꜰfɢgʜhɪiᴊjᴋkʟlᴍmɴnᴏoᴘpʀrꜱsᴛtᴜuᴠvᴡwʏyᴢzıiȷjɑaɡgℓl");

    private static Dictionary<char, char> Build(string pairs)
    {
        var map = new Dictionary<char, char>();
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            map[pairs[i]] = pairs[i + 1];
        }
        return map;
    }

    /// <summary>U+202A–U+202E (embeddings, overrides) and U+2066–U+2069 (isolates).</summary>
    public static bool HasDirectionControls(string text) => text.Any(c => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');

    public static string Normalise(string text) => Collapse(Fold(text, keepLineBreaks: false));

    /// <summary>The views the markers are matched on (see the type's summary); the first is <see cref="Normalise"/>.</summary>
    public static IReadOnlyList<string> Views(string text)
    {
        var folded = Fold(text, keepLineBreaks: true);
        var normal = Collapse(folded.Replace('\n', ' '));
        var views = new List<string> { normal };
        var despaced = Despace(normal);
        if (despaced != normal)
        {
            views.Add(despaced);
        }
        // A line break between two letters, with no space around it: the word goes on on the next line.
        var joined = Collapse(WordBrokenAcrossLines().Replace(folded, "$1$2").Replace('\n', ' '));
        if (joined != normal)
        {
            views.Add(joined);
        }
        return views;
    }

    /// <summary>The text without any space, for the long markers that words split anywhere must not hide.</summary>
    public static string Squeezed(string normalised) => normalised.Replace(" ", "", StringComparison.Ordinal);

    private static string Fold(string text, bool keepLineBreaks)
    {
        // Invisible format characters (soft hyphen, zero-width space, BOM) would split a word without showing it, and
        // accents left spacing by a badly encoded PDF ("PROC¨S") would split it with a space once normalised: both go
        // first. Then compatibility forms (ligatures, full-width letters), then accents.
        var visible = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format && c is not ('¨' or '´' or '^' or '˜' or '¸' or 'ˆ' or '`'))
            {
                visible.Append(Confusables.GetValueOrDefault(c, c));
            }
        }
        var decomposed = visible.ToString().Normalize(NormalizationForm.FormKC).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }
            var folded = Confusables.GetValueOrDefault(c, c);
            builder.Append(folded switch
            {
                '\n' when keepLineBreaks => '\n',
                'º' => '°',
                '°' or '#' or ':' => folded,
                _ when char.IsLetterOrDigit(folded) => char.ToLowerInvariant(folded),
                // Any other character — dashes of every kind, the minus sign, dots, slashes, middle dots, plus signs,
                // apostrophes, brackets, spaces of every width — separates words.
                _ => ' ',
            });
        }
        return builder.ToString();
    }

    private static string Collapse(string text) => MultipleSpaces().Replace(text, " ").Trim();

    /// <summary>Runs of at least three one-character tokens are a letter-spaced word: "p r o c e s v e r b a l" → "procesverbal".</summary>
    private static string Despace(string normal)
    {
        var tokens = normal.Split(' ');
        var builder = new StringBuilder(normal.Length);
        var i = 0;
        while (i < tokens.Length)
        {
            var run = i;
            while (run < tokens.Length && tokens[run].Length == 1)
            {
                run++;
            }
            if (run - i >= 3)
            {
                Append(builder, string.Concat(tokens[i..run]));
                i = run;
            }
            else
            {
                Append(builder, tokens[i]);
                i++;
            }
        }
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, string token)
    {
        if (builder.Length > 0)
        {
            builder.Append(' ');
        }
        builder.Append(token);
    }

    [GeneratedRegex(@"([a-z])[ \t]*\n[ \t]*([a-z])")]
    private static partial Regex WordBrokenAcrossLines();

    [GeneratedRegex(@" {2,}")]
    private static partial Regex MultipleSpaces();
}
