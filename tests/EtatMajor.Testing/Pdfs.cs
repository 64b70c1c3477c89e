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
