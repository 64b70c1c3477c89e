namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>
/// Reads what a disclosure carries, once, before any database lock is taken: its texts, each document's file
/// name, and everything readable in each document (<see cref="DocumentReader"/>) — and what could not be read
/// (a text whose letters are reordered by direction controls, a scan, an image…). The CPU-heavy part of the policy.
/// </summary>
internal static class ContentInspector
{
    public static InspectedContent Inspect(DisclosedContent content)
    {
        var texts = content.Texts.Select(t => new InspectedText(t.Location, t.Text))
            .Concat(content.Documents.Select(d => new InspectedText($"{d.Location} file name", d.FileName)))
            .ToList();
        var unreadable = new List<Unreadable>();
        var documents = new List<InspectedDocument>();
        foreach (var document in content.Documents)
        {
            var reading = DocumentReader.Read($"{document.Location} ({document.FileName})", document.MediaType, document.Content);
            documents.Add(new InspectedDocument(document, reading.Texts));
            unreadable.AddRange(reading.Unreadable);
        }
        unreadable.AddRange(texts.Concat(documents.SelectMany(d => d.Texts))
            .Where(t => TextViews.HasDirectionControls(t.Text))
            .Select(t => new Unreadable(t.Location, "characters that change the direction of the text, so that it does not read as it is stored"))
            .DistinctBy(u => u.Location));
        return new InspectedContent(texts, documents, unreadable);
    }
}
