using System.Text;
using UglyToad.PdfPig;

namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>
/// The text of a document, to look for CONF-2 markers: every page of a PDF (PdfPig), a text file as UTF-8.
/// Images carry no readable text here (no OCR): their declared kind is all that is checked.
/// </summary>
internal static class DocumentText
{
    private static readonly byte[] PdfHeader = "%PDF-"u8.ToArray();

    /// <summary>
    /// Readers accept a PDF whose header stands anywhere in its first 1024 bytes: whatever type is declared,
    /// such a file is read as a PDF, so that a procès-verbal cannot travel as a "JPEG" or a "text file".
    /// </summary>
    public static bool CarriesPdf(byte[] content) => content.AsSpan(0, Math.Min(content.Length, 1024)).IndexOf(PdfHeader) >= 0;

    /// <summary>The texts of a document, by location; null when its content cannot be read as its media type says.</summary>
    public static IReadOnlyList<(string Location, string Text)>? Extract(string location, string mediaType, byte[] content)
    {
        if (mediaType != "application/pdf" && CarriesPdf(content))
        {
            return Extract(location, "application/pdf", content) is { } pdf
                ? mediaType == "text/plain" ? [.. pdf, (location, Encoding.UTF8.GetString(content))] : pdf
                : null;
        }
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
