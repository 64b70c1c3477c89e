using System.Text;
using EtatMajor.Modules.Confidentiality.Contracts;
using EtatMajor.Modules.Confidentiality.Rules;
using EtatMajor.SharedKernel.Disclosures;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.Testing;

namespace EtatMajor.Modules.Confidentiality.Tests;

/// <summary>
/// CONF-2 against an adversary (issue 10, item 4b): every family of disguise a hostile integrator used to get a
/// procès-verbal through is refused or held — never allowed. Each PDF is built by hand (<see cref="HostilePdfs"/>)
/// and read by the real reader.
/// </summary>
public sealed class AdversarialTests
{
    private static readonly string[] Pv = HostilePdfs.Pv;

    private static List<Finding> Decide(byte[] content, string mediaType = "application/pdf", string fileName = "note.pdf", string body = "Pour information.")
    {
        var disclosed = new DisclosedContent([new DisclosedText("body", body)], [new DisclosedDocument("attachments[0]", fileName, "note", mediaType, content)]);
        var disclosure = new Probe(disclosed);
        var context = new PolicyContext(disclosure, new Caller("c", Guid.NewGuid(), OrganisationKind.PoliceNationale, new HashSet<string>(), null),
            ContentInspector.Inspect(disclosed), null);
        return new CriminalProcedureRule().Evaluate(context).ToList();
    }

    private sealed record Probe(DisclosedContent Content) : IDisclosure
    {
        public string Kind => DisclosureKinds.Exchange;

        public Guid InstanceId { get; } = Guid.NewGuid();

        public IReadOnlyCollection<Guid> RecipientOrganisationIds => [];
    }

    private static void Refused(List<Finding> findings) =>
        Assert.That(findings.Select(f => f.Disposition), Does.Contain(Disposition.Deny), Describe(findings));

    private static void RefusedOrHeld(List<Finding> findings) =>
        Assert.That(findings, Is.Not.Empty, "a disguised procès-verbal must never be allowed");

    private static string Describe(List<Finding> findings) => string.Join(" | ", findings.Select(f => $"{f.Disposition}: {f.Violation.Message}"));

    [Test]
    public void The_plain_pv_is_refused_so_that_every_disguise_below_is_measured_against_it() => Refused(Decide(HostilePdfs.Plain(Pv)));

    [Test]
    public void CONF_2_a_page_turned_by_Rotate_90_is_read() => Refused(Decide(HostilePdfs.RotatedPage(Pv)));

    [TestCase(90)]
    [TestCase(180)]
    [TestCase(270)]
    [TestCase(33)]
    [TestCase(-12.5)]
    public void CONF_2_text_drawn_through_a_rotated_matrix_is_read(double degrees) => Refused(Decide(HostilePdfs.RotatedText(degrees, Pv)));

    [TestCase(4)]
    [TestCase(12)]
    public void CONF_2_letters_spread_by_character_spacing_are_read(double spacing) => Refused(Decide(HostilePdfs.LetterSpaced(spacing, Pv)));

    [TestCase("FreeText")]
    [TestCase("Text")]
    public void CONF_2_text_in_an_annotation_is_read(string subtype) => Refused(Decide(HostilePdfs.WithAnnotation(subtype, string.Join(' ', Pv))));

    [Test]
    public void CONF_2_text_in_a_form_field_is_read() => Refused(Decide(HostilePdfs.WithFormField(string.Join(' ', Pv))));

    [Test]
    public void CONF_2_text_in_the_document_information_is_read() => RefusedOrHeld(Decide(HostilePdfs.WithMetadata("PV d'audition de M. X")));

    [Test]
    public void CONF_2_text_in_the_xmp_metadata_is_read() => RefusedOrHeld(Decide(HostilePdfs.WithXmp("PV d'audition de M. X")));

    [Test]
    public void CONF_2_a_bookmark_title_is_read() => RefusedOrHeld(Decide(HostilePdfs.WithBookmark("Procès-verbal d'audition")));

    [Test]
    public void CONF_2_a_pdf_embedded_in_a_pdf_is_read() =>
        Refused(Decide(HostilePdfs.WithEmbeddedFile("annexe.pdf", HostilePdfs.Plain(Pv))));

    [Test]
    public void CONF_2_a_text_file_embedded_in_a_pdf_embedded_in_a_pdf_is_read() =>
        Refused(Decide(HostilePdfs.WithEmbeddedFile("dossier.pdf", HostilePdfs.WithEmbeddedFile("pv.txt", Encoding.UTF8.GetBytes(string.Join('\n', Pv))))));

    [Test]
    public void CONF_2_files_embedded_beyond_the_depth_read_are_held()
    {
        var nested = HostilePdfs.Plain("Note");
        for (var i = 0; i < 5; i++)
        {
            nested = HostilePdfs.WithEmbeddedFile($"niveau{i}.pdf", nested);
        }
        var findings = Decide(nested);
        Assert.That(findings.Select(f => f.Disposition), Does.Contain(Disposition.Hold));
        Assert.That(Describe(findings), Does.Contain("beyond what is read"));
    }

    [Test]
    public void CONF_2_a_scanned_page_without_text_is_held()
    {
        var findings = Decide(HostilePdfs.Scan());
        Assert.That(findings.Select(f => f.Disposition), Is.EqualTo(new[] { Disposition.Hold }), Describe(findings));
        Assert.That(Describe(findings), Does.Contain("without any text"));
    }

    [Test]
    public void CONF_2_an_image_over_a_tenth_of_a_page_is_held_a_small_logo_is_not()
    {
        Assert.That(Describe(Decide(HostilePdfs.WithImage(["Note de service"], 300, 300))), Does.Contain("images over"));
        Assert.That(Decide(HostilePdfs.WithImage(["Note de service"], 60, 40)), Is.Empty);
    }

    [Test]
    public void CONF_2_a_font_whose_letters_cannot_be_decoded_is_held() =>
        Assert.That(Describe(Decide(HostilePdfs.UndecodableFont("Note de service du commissariat"))), Does.Contain("cannot be decoded"));

    [Test]
    public void CONF_2_a_pv_after_an_image_signature_is_read_as_a_pdf() =>
        Refused(Decide(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.Concat(Enumerable.Repeat((byte)0, 1024)).Concat(HostilePdfs.Plain(Pv)).ToArray(),
            "image/png", "photo.png"));

    [Test]
    public void CONF_2_a_pv_in_a_text_file_after_a_kilobyte_of_padding_is_read_as_a_pdf() =>
        Refused(Decide(Encoding.ASCII.GetBytes(new string(' ', 4096)).Concat(HostilePdfs.Plain(Pv)).ToArray(), "text/plain", "notes.txt"));

    [Test]
    public void CONF_2_look_alike_letters_in_a_pdf_annotation_are_folded() =>
        RefusedOrHeld(Decide(HostilePdfs.WithAnnotation("FreeText", "Suite au \u0420V d'\u0430udition du 3 mars")));

    [Test]
    public void CONF_2_an_ordinary_pdf_note_passes()
    {
        var findings = Decide(HostilePdfs.Plain("Note de situation", "Trois rassemblements signales rue des Lilas.", "Proces-verbal de la reunion de l'EMS du 3 mars en annexe."));
        Assert.That(findings, Is.Empty, Describe(findings));
    }
}
