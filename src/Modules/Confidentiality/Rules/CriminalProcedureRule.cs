using System.Text.RegularExpressions;

namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>
/// CONF-2 (R132-6-1 III, last paragraph; version 2 of the rules): no exchange carries a document of a criminal
/// procedure. Refused: an attachment declared as one, and content that has the form of one. Held for a procureur's
/// review: a mention of one in passing (a mention is not a transmission, but a person decides), and whatever cannot
/// be fully read (a scan, an image, a font that hides its letters, reordered text…).
/// </summary>
internal sealed class CriminalProcedureRule : IPolicyRule
{
    public LegalRule Rule => LegalRules.Conf2;

    public string ProblemType => "/problems/criminal-procedure-document";

    public string Description =>
        "No document of a criminal procedure: refused when declared as such or when the content has its form; held for a procureur's review when the content only mentions one, or cannot be fully read.";

    public RuleStage Stage => RuleStage.Content;

    public IEnumerable<Finding> Evaluate(PolicyContext context)
    {
        var content = context.Content;
        var declared = content.Documents.Select(d => d.Document).Where(d => CriminalProcedureDocuments.Kinds.Contains(d.DocumentKind)).ToList();
        if (declared.Count > 0)
        {
            yield return new Finding(new Violation(Rule,
                "Documents of a criminal procedure never travel through an exchange: these attachments are declared as such.",
                attachments: declared.Select(d => $"{d.Location} ({d.FileName}, {d.DocumentKind})").ToList()));
        }
        var unreadable = content.Unreadable.ToList();
        var found = new List<MarkerFound>();
        foreach (var text in content.Texts.Concat(content.Documents.SelectMany(d => d.Texts)))
        {
            try
            {
                found.AddRange(Markers.Find(text.Text, text.Location));
            }
            catch (RegexMatchTimeoutException)
            {
                unreadable.Add(new Unreadable(text.Location, "a text that could not be checked in time"));
            }
        }
        // One finding per marker and place, whichever reading of the place showed it.
        found = found.DistinctBy(m => (m.Marker, m.Location)).ToList();
        var documents = found.Where(m => m.Form == "document").ToList();
        if (documents.Count > 0)
        {
            yield return new Finding(new Violation(Rule,
                "The content has the form of a document of a criminal procedure, which never travels through an exchange (" + Describe(documents) + ").",
                attachments: documents.Select(m => m.Location).Distinct().ToList(), markers: documents));
        }
        var mentions = context.Disclosure.SpeaksOfProcedure ? [] : found.Where(m => m.Form == "mention").ToList();
        if (mentions.Count > 0)
        {
            yield return new Finding(new Violation(Rule,
                "The content mentions a document of a criminal procedure (" + Describe(mentions) + "): a procureur of the instance reads it before it is delivered.",
                attachments: mentions.Select(m => m.Location).Distinct().ToList(), markers: mentions), Disposition.Hold);
        }
        if (unreadable.Count > 0)
        {
            yield return new Finding(new Violation(Rule,
                "Part of the content cannot be fully read, so it cannot be shown not to be a document of a criminal procedure: a procureur of the instance reads it before it is delivered (" +
                string.Join("; ", unreadable.Select(u => $"{u.Location}: {u.Reason}")) + ").",
                attachments: unreadable.Select(u => u.Location).Distinct().ToList()), Disposition.Hold);
        }
    }

    private static string Describe(IEnumerable<MarkerFound> markers) => string.Join("; ", markers.Select(m => $"'{m.Excerpt}' in {m.Location}"));
}
