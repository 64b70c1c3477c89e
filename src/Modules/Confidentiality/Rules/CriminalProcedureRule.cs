namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>
/// CONF-2: no document of a criminal procedure travels — an attachment declared as one, a text or a document
/// whose content shows one, or a document that cannot be read (it cannot be shown not to be one).
/// </summary>
internal sealed class CriminalProcedureRule : IPolicyRule
{
    public LegalRule Rule => LegalRules.Conf2;

    public string ProblemType => "/problems/criminal-procedure-document";

    public string Description => "No document of a criminal procedure, whether declared as such or recognised in its text.";

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
        var found = content.Texts.SelectMany(t => Markers.Find(t.Text, t.Location))
            .Concat(content.Documents.SelectMany(d => (d.Texts ?? []).SelectMany(t => Markers.Find(t.Text, t.Location))))
            .ToList();
        if (found.Count > 0)
        {
            yield return new Finding(new Violation(Rule,
                "The content shows a document of a criminal procedure, which never travels through an exchange (" +
                string.Join("; ", found.Select(m => $"'{m.Excerpt}' in {m.Location}")) + ").",
                attachments: found.Select(m => m.Location).Distinct().ToList(), markers: found));
        }
        var unreadable = content.Documents.Where(d => d.Texts is null).Select(d => $"{d.Document.Location} ({d.Document.FileName})").ToList();
        if (unreadable.Count > 0)
        {
            // Protective reading: what cannot be read cannot be shown not to be a piece of procedure.
            yield return new Finding(new Violation(Rule,
                "These attachments hold a PDF that cannot be read, so they cannot be checked for documents of a criminal procedure.",
                attachments: unreadable));
        }
    }
}
