using System.Text;
using UglyToad.PdfPig;

namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>
/// The text of a document, to look for CONF-2 markers: every page of a PDF (PdfPig), a text file as UTF-8.
/// Images carry no readable text here (no OCR): their declared kind is all that is checked.
/// </summary>
internal static class DocumentText
{
    /// <summary>The texts of a document, by location; null when its content cannot be read as its media type says.</summary>
    public static IReadOnlyList<(string Location, string Text)>? Extract(string location, string mediaType, byte[] content)
    {
        switch (mediaType)
        {
            case "text/plain":
                return [(location, Encoding.UTF8.GetString(content))];
            case "application/pdf":
                try
                {
                    using var document = PdfDocument.Open(content);
                    // Words joined by spaces: a page's raw text often glues lines and words together.
                    return document.GetPages()
                        .Select(page => ($"{location} page {page.Number}", string.Join(' ', page.GetWords().Select(w => w.Text))))
                        .ToList();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return null;
                }
            default:
                return [];
        }
    }
}
