using System.Text.RegularExpressions;

namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>
/// What a marker says of the content (CONF-2, version 2): that it *is*, or reproduces, a piece of a criminal
/// procedure (refused), or that it *mentions* one in passing (held for a procureur's review: a mention is not a
/// transmission, but a person decides).
/// </summary>
internal enum MarkerForm
{
    Document,
    Mention,
}

/// <summary>
/// A sign of a criminal-procedure document. `Companion`, when set, must appear in the same text (a page, the body):
/// "procès-verbal" with "nous soussigné … officier de police judiciaire" is a PV, either alone is not. `Squeezable`
/// markers are long enough to be matched also on the text without any space.
/// </summary>
internal sealed class Marker(string id, string label, MarkerForm form, string source, string? companionSource = null, bool squeezable = false)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public string Id { get; } = id;

    public string Label { get; } = label;

    public MarkerForm Form { get; } = form;

    /// <summary>The patterns as written, for the tests (a "\b" in a string that is not verbatim is a backspace, not a boundary).</summary>
    public IEnumerable<string> Patterns => companionSource is null ? [source] : [source, companionSource];

    private readonly Regex pattern = Compile(source);
    private readonly Regex? companion = companionSource is null ? null : Compile(companionSource);
    private readonly Regex? squeezedPattern = squeezable ? Compile(source.Replace(@"\b", "", StringComparison.Ordinal)) : null;
    private readonly Regex? squeezedCompanion = squeezable && companionSource is not null ? Compile(companionSource.Replace(@"\b", "", StringComparison.Ordinal)) : null;

    private static Regex Compile(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, Timeout);

    /// <summary>The first match in a view, or null. A match that takes too long throws <see cref="RegexMatchTimeoutException"/>: the caller holds.</summary>
    public string? Match(string view, bool squeezed)
    {
        var (main, other) = squeezed ? (squeezedPattern, squeezedCompanion) : (pattern, companion);
        if (main is null)
        {
            return null;
        }
        var match = main.Match(view);
        return match.Success && (other is null || other.IsMatch(view)) ? match.Value.Trim() : null;
    }
}

/// <summary>
/// The one catalogue of CONF-2 markers (R132-6-1 III, last paragraph), matched on the views of <see cref="TextViews"/>.
/// Document-form signals refuse; mentions hold. Each marker has tests, and the near-misses of ordinary notes that
/// must pass — the instance's own "procès-verbal de réunion", "ordonnance de 1945", "réquisitions préfectorales",
/// statistics in the plural — are written into the patterns, not into an exception list.
/// </summary>
internal static class Markers
{
    // Between words: a space, or nothing (a letter-spaced or glued word).
    private const string S = @"\s?";

    // "n°", "no", "nr", "num", "numero", "#" after normalisation.
    private const string Numero = @"(?:n\s?°|no|nr|num|numero|#)";

    private const string OfficerOfJudicialPolice = @"(?:\b(?:officiers?|agents?)" + S + "de" + S + "police" + S + @"judiciaire|\bopj\b|\bapj\b)";

    /// <summary>What a meeting of the instance, the CDPD or another body calls its own "procès-verbal".</summary>
    private const string OwnMeeting =
        "(?:de" + S + "|du" + S + "|des" + S + "|d" + S + ")?(?:la" + S + "|notre" + S + "|cette" + S + "|l" + S + "|leur" + S + "|votre" + S + ")?" +
        "(?:derniere" + S + "|precedente" + S + "|prochaine" + S + ")?" +
        "(?:reunion|seance|assemblee|conseil|comite|cdpd|clspd|cls|ems|etat" + S + "major|cellule|instance|ccofsi|bureau|ag\\b)";

    public static IReadOnlyList<Marker> All { get; } =
    [
        // --- The content is, or reproduces, a piece of procedure: refused. ---
        new("pv-formel", "procès-verbal (« nous soussigné … officier de police judiciaire »)", MarkerForm.Document,
            @"\bnous" + S + @"soussigne(?:e|s|es)?\b", OfficerOfJudicialPolice, squeezable: true),
        new("pv-entete", "procès-verbal rédigé par un officier ou agent de police judiciaire", MarkerForm.Document,
            @"\bproc(?:e)?s" + S + @"verba(?:l|ux)\b", OfficerOfJudicialPolice + "|nous" + S + "soussigne", squeezable: true),
        new("jugement-formel", "jugement (« au nom du peuple français … par ces motifs »)", MarkerForm.Document,
            @"\bau" + S + "nom" + S + "du" + S + "peuple" + S + @"francais\b", @"\bpar" + S + "ces" + S + @"motifs\b", squeezable: true),
        new("requisitoire-definitif", "réquisitoire définitif", MarkerForm.Document, @"\brequisitoire" + S + @"definitif", squeezable: true),
        new("ordonnance-reglement", "ordonnance de renvoi, de non-lieu ou de mise en accusation", MarkerForm.Document,
            @"\bordonnance" + S + "de" + S + "(?:renvoi|non" + S + "lieu|mise" + S + "en" + S + "accusation)", squeezable: true),
        new("cote-dossier", "cote du dossier de procédure (« cote D12 »)", MarkerForm.Document, @"\bcotes?" + S + @"d" + S + @"\d{1,4}\b"),
        new("numero-parquet", "numéro de parquet", MarkerForm.Document,
            @"\b(?:" + Numero + S + "(?:de" + S + "|du" + S + ")?parquet" + S + ":?" + S + @"\d[\d ]{4,}\d" +
            "|parquet" + S + Numero + S + ":?" + S + @"\d[\d ]{4,}\d" +
            "|parquet" + S + ":?" + S + @"\d{2} ?\d{3} ?\d{3} ?\d{2,3}\b)"),
        new("casier-bulletin", "bulletin du casier judiciaire", MarkerForm.Document,
            @"\bbulletin" + S + Numero + "?" + S + "(?:1|2|3|un|deux|trois)" + S + "du" + S + "casier" + S + @"judiciaire\b", squeezable: true),
        new("minutes-greffe", "extrait des minutes du greffe", MarkerForm.Document, @"\bextraits?" + S + "des" + S + "minutes" + S + "du" + S + "greffe", squeezable: true),

        // --- A piece of procedure named in passing: held for a procureur's review. ---
        new("proces-verbal", "procès-verbal", MarkerForm.Mention,
            @"\bproc(?:e)?s" + S + @"verba(?:l|ux)\b(?!" + S + OwnMeeting + ")", squeezable: true),
        new("pv-acte", "PV d'audition, de garde à vue, d'interrogatoire, de perquisition, de synthèse…", MarkerForm.Mention,
            @"\bp" + S + "v" + S + "(?:de" + S + "|d" + S + ")?(?:audition|garde" + S + "a" + S + "vue|gav|interrogatoire|perquisition|synthese|constat(?:ation)?s?" +
            "|plainte|saisie|confrontation|notification|placement|fin" + S + "de" + S + @"garde)\b"),
        new("pv-numero", "PV n°", MarkerForm.Mention,
            @"(?<!\b(?:centrale|centrales|panneaux?|installations?|modules?|champs?|toitures?|parcs?|onduleurs?|solaires?)\s?)\bp" + S + "v" + S + Numero + S + ":?" + S + @"\d"),
        new("plainte", "dépôt de plainte, récépissé de plainte", MarkerForm.Mention,
            @"\b(?:depot" + S + "de" + S + "plainte|recepisses?" + S + "(?:de" + S + ")?(?:depot" + S + "de" + S + @")?plainte)\b"),
        new("requisition-judiciaire", "réquisition judiciaire (art. 60-1, 77-1-1, 99-3 CPP)", MarkerForm.Mention,
            @"\brequisition" + S + @"judiciaire\b|\brequisitions?" + S + "(?:a" + S + "personne" + S + "qualifiee|(?:sur" + S + "le" + S + "fondement" + S + ")?" +
            "(?:de" + S + "l" + S + ")?(?:article|art)" + S + "(?:60" + S + "1|77" + S + "1" + S + "1|99" + S + @"3)\b)"),
        new("requisitoire", "réquisitoire, réquisitions du parquet", MarkerForm.Mention,
            @"\brequisitoire" + S + "(?:introductif|suppletif|du" + S + "parquet|du" + S + "procureur|aux" + S + "fins|de" + S + @"renvoi)\b" +
            @"|\brequisitions" + S + "du" + S + "(?:parquet|procureur|ministere" + S + @"public)\b"),
        new("soit-transmis", "soit-transmis", MarkerForm.Mention, @"\bsoit" + S + @"transmis\b"),
        new("classement", "avis de classement", MarkerForm.Mention, @"\bavis" + S + "de" + S + @"classement\b"),
        new("convocation-opj", "convocation par officier de police judiciaire", MarkerForm.Mention,
            @"\bconvocation" + S + "par" + S + "(?:opj|officier" + S + "de" + S + "police" + S + @"judiciaire)\b|\bcopj\b"),
        new("ordonnance", "ordonnance pénale, du juge d'instruction, de placement en détention…", MarkerForm.Mention,
            @"\bordonnance" + S + @"penale\b|\bordonnance" + S + "de" + S + "(?:placement" + S + "(?:en" + S + "detention|sous" + S + "controle" + S + "judiciaire)" +
            "|maintien" + S + "en" + S + "detention|mise" + S + "en" + S + "liberte|saisie|perquisition)" +
            @"|\bordonnance" + S + "du" + S + "(?:juge" + S + "(?:d" + S + "instruction|des" + S + "libertes|des" + S + @"enfants)|jld)\b"),
        new("mandat", "mandat de dépôt, d'arrêt, d'amener…", MarkerForm.Mention,
            @"\bmandats?" + S + "(?:de" + S + "depot|d" + S + "arret|d" + S + "amener|de" + S + "comparution|de" + S + @"recherche)\b"),
        new("arret-cour", "arrêt de la cour d'appel ou d'assises", MarkerForm.Mention,
            @"\barrets?" + S + "(?:de" + S + "la|rendus?" + S + "par" + S + "la)" + S + "(?:cour" + S + "d" + S + "appel|cour" + S + "d" + S + "assises|chambre" + S +
            "(?:correctionnelle|criminelle|de" + S + "l" + S + @"instruction))\b", squeezable: true),
        new("extrait-minutes", "extrait des minutes", MarkerForm.Mention, @"\bextraits?" + S + "des" + S + @"minutes\b"),
        new("enquete-sociale", "enquête sociale rapide", MarkerForm.Mention, @"\benquete" + S + "sociale" + S + @"rapide\b", squeezable: true),
        new("expertise", "expertise psychiatrique, psychologique, médico-légale…", MarkerForm.Mention,
            @"\b(?:expertise|rapport" + S + "d" + S + "expertise)" + S + @"(?:psychiatrique|psychologique|medico" + S + @"legale|genetique|balistique|judiciaire)\b"),
        new("dossier-procedure", "dossier pénal, dossier de la procédure", MarkerForm.Mention,
            @"\bdossier" + S + "(?:penal|de" + S + "(?:la" + S + @")?procedure)\b", squeezable: true),
        new("casier-extrait", "extrait de casier judiciaire, fiche B1, extrait B2", MarkerForm.Mention,
            @"\bextraits?" + S + "(?:de" + S + "|du" + S + ")?casier" + S + @"judiciaire\b|\bfiches?" + S + "b" + S + @"[123]\b|\bextraits?" + S + "b" + S + @"[123]\b"),
        new("fichiers", "extrait du TAJ, du FIJAIS, du FPR", MarkerForm.Mention,
            @"\b(?:taj|fijais)\b|\b(?:extraits?|fiches?|releves?|consultations?)" + S + "(?:du" + S + "|de" + S + "|d" + S + ")?(?:fpr|fichier" + S + "des" + S +
            "personnes" + S + "recherchees|traitement" + S + "d" + S + "antecedents" + S + @"judiciaires)\b|\binscrits?" + S + "au" + S + @"fpr\b"),
        new("commission-rogatoire", "commission rogatoire", MarkerForm.Mention, @"\bcommission" + S + @"rogatoire\b", squeezable: true),
        new("jugement", "jugement correctionnel, du tribunal correctionnel, de police, pour enfants…", MarkerForm.Mention,
            @"\bjugement" + S + @"correctionnel\b|\bjugements?" + S + "(?:du|rendus?" + S + "par" + S + "le)" + S + "tribunal" + S +
            "(?:correctionnel|de" + S + "police|pour" + S + @"enfants|judiciaire|criminel)\b|\bjugements?" + S + "(?:de" + S + "la|rendus?" + S + "par" + S + "la)" + S +
            "cour" + S + "(?:d" + S + @"assises|criminelle)\b"),
        new("procedure-numero", "procédure n°", MarkerForm.Mention, @"\bprocedure" + S + Numero + S + ":?" + S + @"\d"),
        new("peuple-francais", "« au nom du peuple français »", MarkerForm.Mention, @"\bau" + S + "nom" + S + "du" + S + "peuple" + S + @"francais\b", squeezable: true),
    ];

    /// <summary>
    /// Every marker found in a text, with the matching words and where they are — once per marker, on whichever
    /// view shows it. Throws <see cref="RegexMatchTimeoutException"/> when the text cannot be checked in time.
    /// </summary>
    public static IEnumerable<MarkerFound> Find(string text, string location)
    {
        var views = TextViews.Views(text);
        var squeezed = TextViews.Squeezed(views[0]);
        foreach (var marker in All)
        {
            var excerpt = views.Select(view => marker.Match(view, squeezed: false)).FirstOrDefault(m => m is not null)
                ?? marker.Match(squeezed, squeezed: true);
            if (excerpt is not null)
            {
                yield return new MarkerFound(marker.Id, marker.Label, location, excerpt, marker.Form == MarkerForm.Document ? "document" : "mention");
            }
        }
    }

    public static string Normalise(string text) => TextViews.Normalise(text);
}
