using EtatMajor.Testing;
using EtatMajor.Modules.Confidentiality.Rules;

namespace EtatMajor.Modules.Confidentiality.Tests;

/// <summary>CONF-2: each marker of the catalogue, its variants, and the near-misses that must pass.</summary>
public sealed class MarkerTests
{
    [TestCase("Procès-verbal de constatation", "proces-verbal")]
    [TestCase("PROCES VERBAL", "proces-verbal")]
    [TestCase("les procès-verbaux ci-joints", "proces-verbal")]
    [TestCase("proces  -  verbal", "proces-verbal")]
    [TestCase("PROC¨S-VERBAL", "proces-verbal")]
    [TestCase("proc\u00ADès-ver\u200Bbal", "proces-verbal")]
    [TestCase("\uFEFFcommission rogatoire", "commission-rogatoire")]
    [TestCase("ＰＶ ｎ° 12", "pv-numero")]
    [TestCase("Réf. : PV n° 2024/00123", "pv-numero")]
    [TestCase("P.V. N°12345", "pv-numero")]
    [TestCase("pv no 17", "pv-numero")]
    [TestCase("PV d'audition de M. X", "pv-audition")]
    [TestCase("P.V. d’audition", "pv-audition")]
    [TestCase("Réquisitoire définitif", "requisitoire")]
    [TestCase("les réquisitions du parquet", "requisitoire")]
    [TestCase("REQUISITIONS", "requisitoire")]
    [TestCase("Ordonnance de renvoi devant le tribunal correctionnel", "ordonnance")]
    [TestCase("ordonnance du juge des libertés", "ordonnance")]
    [TestCase("Commission rogatoire n° 4", "commission-rogatoire")]
    [TestCase("commission-rogatoire", "commission-rogatoire")]
    [TestCase("Rapport d'expertise psychiatrique", "rapport-expertise")]
    [TestCase("rapport d’expertise", "rapport-expertise")]
    [TestCase("Jugement du tribunal correctionnel de Bordeaux", "jugement-tribunal")]
    [TestCase("jugement rendu par le tribunal", "jugement-tribunal")]
    [TestCase("N° de parquet : 24 123 000 45", "numero-parquet")]
    [TestCase("Parquet n° 2024/00123", "numero-parquet")]
    [TestCase("numéro parquet 23045678", "numero-parquet")]
    [TestCase("Bulletin n° 1 du casier", "casier-judiciaire")]
    [TestCase("bulletin n°1", "casier-judiciaire")]
    [TestCase("Extrait du CASIER JUDICIAIRE", "casier-judiciaire")]
    [TestCase("casier-judiciaire", "casier-judiciaire")]
    public void CONF_2_each_marker_is_recognised_with_or_without_accents_in_any_case_spaced_or_hyphenated(string text, string marker)
    {
        var found = Markers.Find(text, "body").ToList();
        Assert.That(found.Select(m => m.Marker), Does.Contain(marker), string.Join(", ", found.Select(f => f.Marker)));
        Assert.That(found.Single(m => m.Marker == marker).Location, Is.EqualTo("body"));
    }

    [TestCase("Compte rendu de la dernière réunion de l'état-major")]
    [TestCase("Minutes of the last meeting")]
    [TestCase("Le procureur a rappelé les orientations de la politique pénale")]
    [TestCase("Procédure de signalement des situations à risque")]
    [TestCase("Ordonnancement des travaux de la cellule")]
    [TestCase("Les moyens requis pour le suivi")]
    [TestCase("Une expertise technique des caméras")]
    [TestCase("Rapport d'activité 2025")]
    [TestCase("Il a fait preuve de bon jugement")]
    [TestCase("Le parquet de Bordeaux a participé")]
    [TestCase("Bulletin municipal d'information")]
    [TestCase("Le casier à documents est au secrétariat")]
    [TestCase("Statistiques : 24 123 faits constatés")]
    [TestCase("Réquisition de salle pour la réunion")]
    [TestCase("Verbalisation des infractions routières")]
    public void CONF_2_near_misses_pass(string text) =>
        Assert.That(Markers.Find(text, "body").Select(m => m.Marker), Is.Empty);

    [Test]
    public void Every_marker_of_the_catalogue_has_a_test_case()
    {
        var tested = typeof(MarkerTests).GetMethod(nameof(CONF_2_each_marker_is_recognised_with_or_without_accents_in_any_case_spaced_or_hyphenated))!
            .GetCustomAttributes(typeof(TestCaseAttribute), false).Cast<TestCaseAttribute>().Select(t => (string)t.Arguments[1]!).ToHashSet();
        Assert.That(Markers.All.Select(m => m.Id), Is.SubsetOf(tested));
    }

    [TestCase("Procès-Verbal", "proces verbal")]
    [TestCase("P.V. d’audition", "p v d audition")]
    [TestCase("N°  12", "n° 12")]
    public void Text_is_normalised_before_matching(string text, string expected) =>
        Assert.That(Markers.Normalise(text), Is.EqualTo(expected));
}

public sealed class DocumentTextTests
{
    [Test]
    public void CONF_2_the_text_of_every_page_of_a_pdf_is_read_and_located()
    {
        var pdf = Pdfs.WithPages("Note de situation", "PROCÈS-VERBAL D'AUDITION\nde M. X");
        var pages = DocumentText.Extract("attachments[0] (note.pdf)", "application/pdf", pdf)!;
        Assert.That(pages.Select(p => p.Location), Is.EqualTo(new[] { "attachments[0] (note.pdf) page 1", "attachments[0] (note.pdf) page 2" }));
        var found = pages.SelectMany(p => Markers.Find(p.Text, p.Location)).ToList();
        Assert.That(found.Select(f => (f.Marker, f.Location)), Does.Contain(("proces-verbal", "attachments[0] (note.pdf) page 2")));
    }

    [Test]
    public void A_pdf_that_cannot_be_read_is_reported_as_such()
    {
        var broken = "%PDF-1.7\nnot really a pdf"u8.ToArray();
        Assert.That(DocumentText.Extract("attachments[0]", "application/pdf", broken), Is.Null);
    }

    [Test]
    public void CONF_2_a_pdf_inside_a_file_declared_otherwise_is_read_as_a_pdf()
    {
        var pdf = Pdfs.WithPages("Rapport d'expertise");
        var disguised = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, (byte)'\n' }.Concat(pdf).ToArray();
        var texts = DocumentText.Extract("attachments[0]", "image/jpeg", disguised)!;
        Assert.That(texts.SelectMany(t => Markers.Find(t.Text, t.Location)).Select(m => m.Marker), Does.Contain("rapport-expertise"));
    }

    [Test]
    public void Text_files_are_read_as_utf8_and_images_give_no_text()
    {
        Assert.That(DocumentText.Extract("a", "text/plain", "Réquisitoire"u8.ToArray())![0].Text, Is.EqualTo("Réquisitoire"));
        Assert.That(DocumentText.Extract("a", "image/png", [0x89, 0x50]), Is.Empty);
    }
}
