namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>
/// Reads what a disclosure carries, once, before any database lock is taken: its texts, each document's file
/// name, and the text of each document (every page of a PDF, a text file). The CPU-heavy part of the policy.
/// </summary>
internal static class ContentInspector
{
    public static InspectedContent Inspect(DisclosedContent content) => new(
        [
            .. content.Texts.Select(t => new InspectedText(t.Location, t.Text)),
            .. content.Documents.Select(d => new InspectedText($"{d.Location} file name", d.FileName)),
        ],
        content.Documents.Select(document => new InspectedDocument(document,
            DocumentText.Extract($"{document.Location} ({document.FileName})", document.MediaType, document.Content)?
                .Select(t => new InspectedText(t.Location, t.Text)).ToList())).ToList());
}
