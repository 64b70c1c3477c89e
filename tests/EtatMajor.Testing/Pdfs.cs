using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace EtatMajor.Testing;

/// <summary>
/// Real PDF files, written with PdfPig, one page per text. Its standard fonts encode few accented letters:
/// write test texts without accents (a variant the markers must catch anyway).
/// </summary>
public static class Pdfs
{
    public static byte[] WithPages(params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            var page = builder.AddPage(PageSize.A4);
            var y = 780.0;
            foreach (var line in text.Split('\n'))
            {
                page.AddText(line, 11, new PdfPoint(40, y), font);
                y -= 16;
            }
        }
        return builder.Build();
    }
}

/// <summary>
/// A PDF written object by object, as a hostile integrator would craft one: every structure CONF-2 must read or
/// hold (rotations, character spacing, annotations, form fields, metadata, bookmarks, embedded files, images,
/// undecodable fonts) is built here by hand, with a correct cross-reference table. Text is Latin-1 (WinAnsi).
/// </summary>
public sealed class RawPdf
{
    private static readonly System.Text.Encoding Latin1 = System.Text.Encoding.Latin1;
    private readonly List<byte[]> objects = [];

    /// <summary>Reserves an object number, to be written later (a page that refers to its parent, and back).</summary>
    public int Reserve()
    {
        objects.Add([]);
        return objects.Count;
    }

    public int Add(string body)
    {
        objects.Add(Latin1.GetBytes(body));
        return objects.Count;
    }

    public void Set(int number, string body) => objects[number - 1] = Latin1.GetBytes(body);

    public int AddStream(string dictionary, byte[] data)
    {
        var head = Latin1.GetBytes($"<< {dictionary} /Length {data.Length} >>\nstream\n");
        objects.Add([.. head, .. data, .. Latin1.GetBytes("\nendstream")]);
        return objects.Count;
    }

    public int AddStream(string dictionary, string data) => AddStream(dictionary, Latin1.GetBytes(data));

    /// <summary>A PDF text string in UTF-16BE (hexadecimal, with its byte-order mark): any script, for annotations, fields and metadata.</summary>
    public static string Unicode(string text) => "<FEFF" + Convert.ToHexString(System.Text.Encoding.BigEndianUnicode.GetBytes(text)) + ">";

    /// <summary>A PDF string literal: parentheses and backslashes escaped.</summary>
    public static string Text(string text) => "(" + text.Replace("\\", "\\\\").Replace("(", "\\(").Replace(")", "\\)") + ")";

    public byte[] Build(int catalog, int? info = null)
    {
        using var output = new MemoryStream();
        void Write(string s) => output.Write(Latin1.GetBytes(s));
        Write("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            Write($"{i + 1} 0 obj\n");
            output.Write(objects[i]);
            Write("\nendobj\n");
        }
        var xref = output.Position;
        Write($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write($"{offset:D10} 00000 n \n");
        }
        Write($"trailer\n<< /Size {objects.Count + 1} /Root {catalog} 0 R{(info is { } i2 ? $" /Info {i2} 0 R" : "")} >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }

    /// <summary>
    /// One page of Helvetica text (a content stream written by the caller), with the page dictionary's extra entries
    /// and the catalog's: the skeleton every hostile PDF below is built on.
    /// </summary>
    public static byte[] OnePage(string content, string pageExtra = "", string catalogExtra = "", Func<RawPdf, int, (string Page, string Catalog)>? parts = null,
        string? info = null)
    {
        var pdf = new RawPdf();
        var catalog = pdf.Reserve();
        var pages = pdf.Reserve();
        var page = pdf.Reserve();
        var font = pdf.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        var stream = pdf.AddStream("", content);
        var (morePage, moreCatalog) = parts?.Invoke(pdf, page) ?? ("", "");
        var infoObject = info is null ? (int?)null : pdf.Add(info);
        pdf.Set(catalog, $"<< /Type /Catalog /Pages {pages} 0 R {catalogExtra} {moreCatalog} >>");
        pdf.Set(pages, $"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>");
        pdf.Set(page, $"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {stream} 0 R " +
                      $"/Resources << /Font << /F1 {font} 0 R >> >> {pageExtra} {morePage} >>");
        return pdf.Build(catalog, infoObject);
    }

    /// <summary>Lines of text, one under the other, at the top left of the page.</summary>
    public static string Lines(params string[] lines) =>
        "BT /F1 11 Tf 14 TL 50 780 Td " + string.Concat(lines.Select(l => $"{Text(l)} ' ")) + "ET";
}

/// <summary>The hostile PDFs of CONF-2's adversarial tests (issue 10, item 4b), each a real file PdfPig opens.</summary>
public static class HostilePdfs
{
    public static readonly string[] Pv =
        ["PROCES-VERBAL D'AUDITION", "Nous soussigne, Jean Martin, officier de police judiciaire,", "entendons la personne ci-apres designee."];

    public static byte[] Plain(params string[] lines) => RawPdf.OnePage(RawPdf.Lines(lines));

    /// <summary>A page whose dictionary turns it by a quarter (/Rotate 90).</summary>
    public static byte[] RotatedPage(params string[] lines) => RawPdf.OnePage(RawPdf.Lines(lines), pageExtra: "/Rotate 90");

    /// <summary>Text drawn through a rotated text matrix, by any angle (a landscape page from a printer driver: 90).</summary>
    public static byte[] RotatedText(double degrees, params string[] lines)
    {
        var (cos, sin) = (Math.Cos(degrees * Math.PI / 180), Math.Sin(degrees * Math.PI / 180));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var content = "BT /F1 11 Tf " + string.Concat(lines.Select((l, i) =>
            string.Format(inv, "{0:F4} {1:F4} {2:F4} {3:F4} {4:F2} {5:F2} Tm {6} Tj ", cos, sin, -sin, cos, 300 + (i * 14 * sin), 400 - (i * 14 * cos), RawPdf.Text(l)))) + "ET";
        return RawPdf.OnePage(content);
    }

    /// <summary>Letters spread out by the character-spacing operator (Tc), so that each looks like a word.</summary>
    public static byte[] LetterSpaced(double spacing, params string[] lines) =>
        RawPdf.OnePage(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"BT /F1 11 Tf {spacing} Tc 14 TL 50 780 Td ") +
                       string.Concat(lines.Select(l => $"{RawPdf.Text(l)} ' ")) + "ET");

    /// <summary>An ordinary page, and the procedure in an annotation (FreeText, or a Text note with its pop-up).</summary>
    public static byte[] WithAnnotation(string subtype, string text) =>
        RawPdf.OnePage(RawPdf.Lines("Note de service"), parts: (pdf, page) =>
        {
            var annotation = pdf.Add($"<< /Type /Annot /Subtype /{subtype} /Rect [100 100 400 300] /Contents {RawPdf.Unicode(text)} /P {page} 0 R /DA (/Helv 10 Tf 0 g) >>");
            return ($"/Annots [{annotation} 0 R]", "");
        });

    /// <summary>An ordinary page, and the procedure as the value of a form field.</summary>
    public static byte[] WithFormField(string value) =>
        RawPdf.OnePage(RawPdf.Lines("Formulaire de liaison"), parts: (pdf, page) =>
        {
            var field = pdf.Add($"<< /Type /Annot /Subtype /Widget /FT /Tx /T (objet) /V {RawPdf.Unicode(value)} /Rect [50 600 500 620] /P {page} 0 R >>");
            return ($"/Annots [{field} 0 R]", $"/AcroForm << /Fields [{field} 0 R] >>");
        });

    public static byte[] WithMetadata(string title) =>
        RawPdf.OnePage(RawPdf.Lines("Note de service"), info: $"<< /Title {RawPdf.Unicode(title)} /Subject (Transmission) >>");

    public static byte[] WithXmp(string title) =>
        RawPdf.OnePage(RawPdf.Lines("Note de service"), parts: (pdf, _) =>
        {
            var xml = "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
                      $"<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>" +
                      "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
            var metadata = pdf.AddStream("/Type /Metadata /Subtype /XML", System.Text.Encoding.UTF8.GetBytes(xml));
            return ("", $"/Metadata {metadata} 0 R");
        });

    public static byte[] WithBookmark(string title) =>
        RawPdf.OnePage(RawPdf.Lines("Note de service"), parts: (pdf, page) =>
        {
            var outlines = pdf.Reserve();
            var item = pdf.Add($"<< /Title {RawPdf.Unicode(title)} /Parent {outlines} 0 R /Dest [{page} 0 R /Fit] >>");
            pdf.Set(outlines, $"<< /Type /Outlines /First {item} 0 R /Last {item} 0 R /Count 1 >>");
            return ("", $"/Outlines {outlines} 0 R");
        });

    /// <summary>An ordinary page carrying a file embedded in the PDF (and that file may carry another).</summary>
    public static byte[] WithEmbeddedFile(string name, byte[] file) =>
        RawPdf.OnePage(RawPdf.Lines("Note de service"), parts: (pdf, _) =>
        {
            var stream = pdf.AddStream("/Type /EmbeddedFile", file);
            var spec = pdf.Add($"<< /Type /Filespec /F {RawPdf.Text(name)} /UF {RawPdf.Text(name)} /EF << /F {stream} 0 R >> >>");
            return ("", $"/Names << /EmbeddedFiles << /Names [{RawPdf.Text(name)} {spec} 0 R] >> >>");
        });

    /// <summary>A scan: a page that is one grey image, with no text at all.</summary>
    public static byte[] Scan() => WithImage(null, 595, 842);

    /// <summary>A page with an image of the given size in points (and, when given, lines of text).</summary>
    public static byte[] WithImage(string[]? lines, double width, double height)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return BuildWithImage(string.Format(inv, "q {0:F1} 0 0 {1:F1} 0 0 cm /Im1 Do Q ", width, height) + (lines is null ? "" : RawPdf.Lines(lines)));
    }

    private static byte[] BuildWithImage(string content)
    {
        var pdf = new RawPdf();
        var catalog = pdf.Reserve();
        var pages = pdf.Reserve();
        var page = pdf.Reserve();
        var font = pdf.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        var pixels = Enumerable.Repeat((byte)0x80, 16 * 16).ToArray();
        var image = pdf.AddStream("/Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray /BitsPerComponent 8", pixels);
        var stream = pdf.AddStream("", content);
        pdf.Set(catalog, $"<< /Type /Catalog /Pages {pages} 0 R >>");
        pdf.Set(pages, $"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>");
        pdf.Set(page, $"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {stream} 0 R " +
                      $"/Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >> >>");
        return pdf.Build(catalog);
    }

    /// <summary>
    /// Text in a font whose codes map to glyph names no reader knows, without a ToUnicode map: the page draws letters
    /// a person reads, and that no program can decode.
    /// </summary>
    public static byte[] UndecodableFont(string text)
    {
        var pdf = new RawPdf();
        var catalog = pdf.Reserve();
        var pages = pdf.Reserve();
        var page = pdf.Reserve();
        var differences = string.Join(' ', Enumerable.Range(32, 95).Select(c => $"/g{c}"));
        var font = pdf.Add($"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /Differences [32 {differences}] >> >>");
        var stream = pdf.AddStream("", $"BT /F1 11 Tf 50 780 Td {RawPdf.Text(text)} Tj ET");
        pdf.Set(catalog, $"<< /Type /Catalog /Pages {pages} 0 R >>");
        pdf.Set(pages, $"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>");
        pdf.Set(page, $"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {stream} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>");
        return pdf.Build(catalog);
    }
}
