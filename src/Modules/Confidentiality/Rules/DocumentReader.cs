using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.AcroForms;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Outline;
using UglyToad.PdfPig.Tokens;

namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>What could be read of a document (its texts, by location) and what could not (held, CONF-2).</summary>
internal sealed class DocumentReading
{
    public List<InspectedText> Texts { get; } = [];

    public List<Unreadable> Unreadable { get; } = [];
}

/// <summary>
/// Reads everything a person could read in an attachment, for the CONF-2 markers — and says what it could not read,
/// since what cannot be fully read is held, never passed:
/// - a text file as UTF-8;
/// - a PDF: each page twice (its letters in the order they are drawn, whatever their direction or the rotation of
///   the page, and its words), its annotations (notes, free text, pop-ups), its form fields, its metadata (document
///   information and XMP), its bookmarks, and the files embedded in it (read the same way, to a bounded depth);
///   a page without any text (a scan), with images over a tenth of its surface, or drawn in a font whose letters
///   cannot be decoded, cannot be fully read;
/// - an image: no text can be read from it here (no OCR).
/// A `%PDF` header anywhere in a file makes it read as a PDF too, whatever type it declares.
/// </summary>
internal static class DocumentReader
{
    private static readonly byte[] PdfHeader = "%PDF-"u8.ToArray();

    /// <summary>How deep files embedded in files are read, and how much of them: beyond, the document cannot be fully read.</summary>
    private const int MaxDepth = 3;
    private const int MaxEmbeddedFiles = 32;
    private const long MaxEmbeddedBytes = 32L * 1024 * 1024;

    /// <summary>Images above this part of a page may carry text that cannot be read.</summary>
    private const double ImageShareOfPage = 0.10;

    /// <summary>Letters that decode to nothing readable, above this part of a page, mean a font that hides its text.</summary>
    private const double GarbledShareOfPage = 0.10;

    public static bool CarriesPdf(byte[] content) => content.AsSpan().IndexOf(PdfHeader) >= 0;

    public static DocumentReading Read(string location, string mediaType, byte[] content)
    {
        var reading = new DocumentReading();
        var budget = new Budget();
        Read(location, mediaType, content, depth: 0, budget, reading);
        return reading;
    }

    private sealed class Budget
    {
        public int Files;
        public long Bytes;
    }

    private static void Read(string location, string mediaType, byte[] content, int depth, Budget budget, DocumentReading reading)
    {
        switch (mediaType)
        {
            case "application/pdf":
                ReadPdf(location, content, depth, budget, reading);
                return;
            case "text/plain":
                reading.Texts.Add(new InspectedText(location, Encoding.UTF8.GetString(content)));
                break;
            case "image/png" or "image/jpeg":
                reading.Unreadable.Add(new Unreadable(location, "an image: no text can be read from it here, so a person must look at it"));
                break;
            default:
                reading.Unreadable.Add(new Unreadable(location, $"a file of type {mediaType}, which is not read here"));
                break;
        }
        if (CarriesPdf(content))
        {
            // A reader opens a PDF whatever precedes its header: so does the policy.
            ReadPdf($"{location} (the PDF it carries)", content, depth, budget, reading);
        }
    }

    private static void ReadPdf(string location, byte[] content, int depth, Budget budget, DocumentReading reading)
    {
        try
        {
            using var document = PdfDocument.Open(content);
            if (document.IsEncrypted)
            {
                reading.Unreadable.Add(new Unreadable(location, "an encrypted PDF"));
            }
            foreach (var page in document.GetPages())
            {
                ReadPage($"{location} page {page.Number}", page, FontDecoding.Undecodable(document, page), reading);
            }
            ReadDocumentParts(location, document, reading);
            ReadEmbeddedFiles(location, document, depth, budget, reading);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reading.Unreadable.Add(new Unreadable(location, "a PDF that cannot be opened"));
        }
    }

    private static void ReadPage(string location, Page page, IReadOnlySet<string> undecodableFonts, DocumentReading reading)
    {
        var letters = page.Letters;
        var visible = letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)).ToList();
        reading.Texts.Add(new InspectedText(location, InDrawingOrder(visible)));
        reading.Texts.Add(new InspectedText(location, string.Join(' ', page.GetWords().Select(w => w.Text))));
        if (visible.Count == 0)
        {
            reading.Unreadable.Add(new Unreadable(location, "a page without any text (a scan or a picture of text)"));
        }
        else if (visible.Count(l => !Decodable(l.Value) || undecodableFonts.Contains(l.FontName ?? "")) > visible.Count * GarbledShareOfPage)
        {
            reading.Unreadable.Add(new Unreadable(location, "letters in a font that cannot be decoded"));
        }
        var pageArea = Math.Max(1.0, page.Width * page.Height);
        var imageArea = page.GetImages().Sum(i => Math.Abs(i.BoundingBox.Width * i.BoundingBox.Height));
        if (imageArea >= pageArea * ImageShareOfPage)
        {
            reading.Unreadable.Add(new Unreadable(location, $"images over {Math.Min(100, imageArea * 100 / pageArea):0}% of the page, which may carry text"));
        }
        foreach (var annotation in page.GetAnnotations())
        {
            var texts = new[] { annotation.Content, annotation.Name }
                .Concat(annotation.AnnotationDictionary.Data
                    .Where(kv => kv.Key is "RC" or "T" or "Subj" or "Contents")
                    .Select(kv => PdfStrings.Of(kv.Value)))
                .Where(t => !string.IsNullOrWhiteSpace(t));
            foreach (var text in texts)
            {
                reading.Texts.Add(new InspectedText($"{location} annotation ({annotation.Type})", text!));
            }
        }
    }

    /// <summary>
    /// The letters as drawn, with a space where the pen jumps: text rotated by any angle, or spread out by character
    /// spacing, reads in order (the letter-spaced words are joined later by <see cref="TextViews"/>).
    /// </summary>
    private static string InDrawingOrder(IReadOnlyList<Letter> letters)
    {
        var builder = new StringBuilder(letters.Count * 2);
        Letter? previous = null;
        foreach (var letter in letters)
        {
            if (previous is not null)
            {
                var dx = letter.StartBaseLine.X - previous.EndBaseLine.X;
                var dy = letter.StartBaseLine.Y - previous.EndBaseLine.Y;
                var gap = Math.Sqrt(dx * dx + dy * dy);
                if (gap > Math.Max(1.0, previous.PointSize) * 0.2)
                {
                    builder.Append(' ');
                }
            }
            builder.Append(letter.Value);
            previous = letter;
        }
        return builder.ToString();
    }

    /// <summary>A letter decoded to something a person reads (not a control, a private-use glyph or the replacement character).</summary>
    private static bool Decodable(string value) => value.All(c => !char.IsControl(c) && c != '\uFFFD' && c is < '\uE000' or > '\uF8FF');

    private static void ReadDocumentParts(string location, PdfDocument document, DocumentReading reading)
    {
        var information = document.Information;
        foreach (var text in new[] { information.Title, information.Subject, information.Keywords, information.Author, information.Creator, information.Producer })
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                reading.Texts.Add(new InspectedText($"{location} metadata", text));
            }
        }
        if (document.TryGetXmpMetadata(out var xmp))
        {
            reading.Texts.Add(new InspectedText($"{location} XMP metadata", string.Join(' ', xmp.GetXDocument().DescendantNodes()
                .OfType<System.Xml.Linq.XText>().Select(t => t.Value))));
        }
        if (document.TryGetBookmarks(out var bookmarks))
        {
            reading.Texts.Add(new InspectedText($"{location} bookmarks", string.Join('\n', Titles(bookmarks.GetNodes()))));
        }
        if (document.TryGetForm(out var form))
        {
            foreach (var field in form.GetFields())
            {
                var value = string.Join(' ', new string?[] { field.Information.PartialName, field.Information.AlternateName, field.GetFieldValue().Key, field.GetFieldValue().Value }
                    .Where(v => !string.IsNullOrWhiteSpace(v)));
                if (value.Length > 0)
                {
                    reading.Texts.Add(new InspectedText($"{location} form field", value));
                }
            }
        }
    }

    private static IEnumerable<string> Titles(IEnumerable<BookmarkNode> nodes) =>
        nodes.SelectMany(n => Titles(n.Children).Prepend(n.Title ?? ""));

    private static void ReadEmbeddedFiles(string location, PdfDocument document, int depth, Budget budget, DocumentReading reading)
    {
        if (!document.Advanced.TryGetEmbeddedFiles(out var files) || files.Count == 0)
        {
            return;
        }
        foreach (var file in files)
        {
            var here = $"{location} embedded file {file.Name}";
            var bytes = file.Bytes.ToArray();
            budget.Files++;
            budget.Bytes += bytes.Length;
            if (depth + 1 > MaxDepth || budget.Files > MaxEmbeddedFiles || budget.Bytes > MaxEmbeddedBytes)
            {
                reading.Unreadable.Add(new Unreadable(here, "files embedded in files beyond what is read (depth, number or size)"));
                continue;
            }
            reading.Texts.Add(new InspectedText($"{here} name", file.Name ?? ""));
            Read(here, MediaTypeOf(file.Name, bytes), bytes, depth + 1, budget, reading);
        }
    }

    /// <summary>The type of an embedded file, by what it starts with, else by its name: it declares nothing.</summary>
    private static string MediaTypeOf(string? name, byte[] bytes) =>
        bytes.AsSpan().StartsWith(PdfHeader) ? "application/pdf"
        : bytes.AsSpan().StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 }) ? "image/png"
        : bytes.AsSpan().StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }) ? "image/jpeg"
        : name is not null && (name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
          && Utf8.IsValid(bytes) ? "text/plain"
        : "application/octet-stream";

    private static class Utf8
    {
        private static readonly UTF8Encoding Strict = new(false, true);

        public static bool IsValid(byte[] bytes)
        {
            try
            {
                Strict.GetString(bytes);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }
    }
}

/// <summary>The text of a PDF string token, whatever its kind (string, hex string, name).</summary>
internal static class PdfStrings
{
    public static string? Of(IToken token) => token switch
    {
        StringToken s => s.Data,
        HexToken h => h.Data,
        NameToken n => n.Data,
        _ => null,
    };
}

/// <summary>
/// The fonts of a page whose letters no program can turn back into text with certainty, so that a page drawn with
/// them cannot be fully read: no ToUnicode map and either a composite or Type 3 font, an encoding naming glyphs no
/// glyph list knows, or an embedded font program (whose own tables may draw any shape for any code). A font with a
/// ToUnicode map is taken at its word: a lying map needs the page to be rendered and read (OCR), which is not done here.
/// </summary>
internal static class FontDecoding
{
    public static IReadOnlySet<string> Undecodable(PdfDocument document, Page page)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (Resolve(document, page.Dictionary.Data.GetValueOrDefault("Resources")) is not DictionaryToken resources
                || Resolve(document, resources.Data.GetValueOrDefault("Font")) is not DictionaryToken fonts)
            {
                return names;
            }
            foreach (var entry in fonts.Data.Values)
            {
                if (Resolve(document, entry) is DictionaryToken font && !Decodable(document, font)
                    && font.Data.GetValueOrDefault("BaseFont") is NameToken baseFont)
                {
                    names.Add(baseFont.Data);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A resource dictionary that cannot be followed: the letters themselves are still checked one by one.
        }
        return names;
    }

    private static bool Decodable(PdfDocument document, DictionaryToken font)
    {
        if (font.Data.ContainsKey("ToUnicode"))
        {
            return true;
        }
        if (font.Data.GetValueOrDefault("Subtype") is NameToken { Data: "Type0" or "Type3" })
        {
            return false;
        }
        if (Resolve(document, font.Data.GetValueOrDefault("Encoding")) is DictionaryToken encoding
            && Resolve(document, encoding.Data.GetValueOrDefault("Differences")) is ArrayToken differences
            && differences.Data.OfType<NameToken>().Any(name => string.IsNullOrEmpty(UglyToad.PdfPig.Fonts.GlyphList.AdobeGlyphList.NameToUnicode(name.Data))))
        {
            return false;
        }
        return !(Resolve(document, font.Data.GetValueOrDefault("FontDescriptor")) is DictionaryToken descriptor
                 && (descriptor.Data.ContainsKey("FontFile") || descriptor.Data.ContainsKey("FontFile2") || descriptor.Data.ContainsKey("FontFile3")));
    }

    private static IToken? Resolve(PdfDocument document, IToken? token) =>
        token is IndirectReferenceToken reference ? document.Structure.GetObject(reference.Data).Data : token;
}
