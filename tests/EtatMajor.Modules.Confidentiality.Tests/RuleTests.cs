using EtatMajor.Modules.Confidentiality.Contracts;
using EtatMajor.Modules.Confidentiality.Rules;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel.Disclosures;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.Testing;

namespace EtatMajor.Modules.Confidentiality.Tests;

/// <summary>
/// Each rule of the policy as the pure function it is: a context in, findings out. One table per rule: the
/// situations it must refuse and those it must let through.
/// </summary>
public sealed class RuleTests
{
    private static readonly Guid Instance = Guid.NewGuid();
    private static readonly Guid Sender = Guid.NewGuid();
    private static readonly Guid Member = Guid.NewGuid();
    private static readonly Guid Unacknowledged = Guid.NewGuid();
    private static readonly Guid Removed = Guid.NewGuid();
    private static readonly Guid Outsider = Guid.NewGuid();
    private static readonly Guid Assigned = Guid.NewGuid();

    private sealed record Disclosure(string Kind, IReadOnlyCollection<Guid> RecipientOrganisationIds, DisclosedContent Content, DisclosureSubject? Subject = null)
        : IDisclosure
    {
        public Guid InstanceId => Instance;
    }

    private static MembershipStatus Status(Guid id, bool member, bool acknowledged) =>
        new(id, true, OrganisationKind.PoliceNationale, member, false, acknowledged);

    private static InstanceMemberships Memberships(bool rulesInForce = true) => new(Instance, InstanceKind.Ccofsi,
        rulesInForce ? new InternalRulesInForce(Guid.NewGuid(), "2026-1", new DateOnly(2026, 1, 1)) : null,
        new Dictionary<Guid, MembershipStatus>
        {
            [Sender] = Status(Sender, member: true, acknowledged: true),
            [Member] = Status(Member, member: true, acknowledged: true),
            [Unacknowledged] = Status(Unacknowledged, member: true, acknowledged: false),
            [Removed] = Status(Removed, member: false, acknowledged: true),
            [Outsider] = new(Outsider, false, null, false, false, false),
            [Assigned] = Status(Assigned, member: false, acknowledged: false),
        });

    private static PolicyContext Context(Guid[] recipients, string kind = DisclosureKinds.Exchange, bool rulesInForce = true,
        IReadOnlySet<Guid>? subjectAudience = null, DisclosedContent? content = null)
    {
        var disclosure = new Disclosure(kind, recipients, content ?? new DisclosedContent([], []),
            subjectAudience is null ? null : new DisclosureSubject("designation", Guid.NewGuid()));
        var inspected = ContentInspector.Inspect(disclosure.Content);
        return new PolicyContext(disclosure, new Caller("c-sender", Sender, OrganisationKind.Prefet, new HashSet<string>(), null), inspected,
            new DisclosureFacts(Memberships(rulesInForce), subjectAudience));
    }

    private static IEnumerable<TestCaseData> ThirdPartyCases()
    {
        yield return new TestCaseData(new[] { Member }, null, Array.Empty<Guid>()).SetName("CONF_1_a_current_member_receives");
        yield return new TestCaseData(new[] { Member, Removed }, null, new[] { Removed }).SetName("CONF_1_a_removed_member_is_a_third_party");
        yield return new TestCaseData(new[] { Outsider }, null, new[] { Outsider }).SetName("CONF_1_an_outsider_is_a_third_party");
        yield return new TestCaseData(new[] { Sender }, null, new[] { Sender }).SetName("CONF_1_the_sender_is_not_its_own_recipient");
        yield return new TestCaseData(new[] { Assigned }, new HashSet<Guid> { Sender, Assigned }, Array.Empty<Guid>())
            .SetName("CONF_1_about_a_subject_its_audience_receives_even_a_non_member");
        yield return new TestCaseData(new[] { Member }, new HashSet<Guid> { Sender, Assigned }, new[] { Member })
            .SetName("CONF_1_about_a_subject_a_member_outside_its_audience_is_a_third_party");
    }

    [TestCaseSource(nameof(ThirdPartyCases))]
    public void ThirdParty(Guid[] recipients, HashSet<Guid>? audience, Guid[] refused)
    {
        var findings = new ThirdPartyRule().Evaluate(Context(recipients, subjectAudience: audience)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(findings.SelectMany(f => f.Violation.Recipients ?? []), Is.EquivalentTo(refused));
            Assert.That(findings.Select(f => f.Violation.RuleId), Is.All.EqualTo("CONF-1"));
            Assert.That(findings.Select(f => f.Disposition), Is.All.EqualTo(Disposition.Deny));
        });
    }

    [Test]
    public void CONF_5_a_forward_refused_to_a_third_party_says_that_forwarding_is_an_exchange()
    {
        var finding = new ThirdPartyRule().Evaluate(Context([Outsider], DisclosureKinds.Forward)).Single();
        Assert.That(finding.Violation.Message, Does.Contain("Forwarding is an exchange (CONF-5)"));
    }

    [TestCase(true, 0, TestName = "CONF_3_a_reglement_in_force_lets_the_exchange_through")]
    [TestCase(false, 1, TestName = "CONF_3_no_reglement_in_force_refuses")]
    public void InternalRulesInForce(bool inForce, int violations) =>
        Assert.That(new InternalRulesInForceRule().Evaluate(Context([Member], rulesInForce: inForce)).Count(), Is.EqualTo(violations));

    [TestCase(false, true, TestName = "CONF_4_acknowledged_members_exchange")]
    [TestCase(true, false, TestName = "CONF_4_a_member_who_has_not_acknowledged_is_refused")]
    public void Acknowledgement(bool withUnacknowledged, bool allowed)
    {
        var findings = new AcknowledgementRule().Evaluate(Context(withUnacknowledged ? [Member, Unacknowledged] : [Member])).ToList();
        Assert.That(findings, allowed ? Is.Empty : Has.Count.EqualTo(1));
        if (!allowed)
        {
            Assert.That(findings[0].Violation.Recipients, Is.EqualTo(new[] { Unacknowledged }));
        }
    }

    [Test]
    public void CONF_4_outsiders_are_left_to_CONF_1_and_nothing_is_asked_without_a_reglement()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new AcknowledgementRule().Evaluate(Context([Outsider, Removed])), Is.Empty);
            Assert.That(new AcknowledgementRule().Evaluate(Context([Unacknowledged], rulesInForce: false)), Is.Empty);
        });
    }

    private static DisclosedContent Body(string text, params DisclosedDocument[] documents) => new([new DisclosedText("body", text)], documents);

    private static DisclosedDocument Document(string kind, string mediaType, byte[] content, string name = "piece.pdf") =>
        new("attachments[0]", name, kind, mediaType, content);

    private static IEnumerable<TestCaseData> CriminalProcedureCases()
    {
        yield return new TestCaseData(Body("Point de situation sur le quartier"), Array.Empty<Disposition>()).SetName("CONF_2_an_ordinary_note_passes");
        yield return new TestCaseData(Body("Suite au PV d'audition du 3 mars, point de situation"), new[] { Disposition.Hold })
            .SetName("CONF_2_a_mention_in_the_body_is_held");
        yield return new TestCaseData(Body("PROCES-VERBAL. Nous soussigné, officier de police judiciaire"), new[] { Disposition.Deny, Disposition.Hold })
            .SetName("CONF_2_a_document_form_in_the_body_refuses");
        yield return new TestCaseData(Body("Note", Document("proces-verbal", "text/plain", "x"u8.ToArray(), "a.txt")), new[] { Disposition.Deny })
            .SetName("CONF_2_a_declared_forbidden_kind_refuses");
        yield return new TestCaseData(Body("Note", Document("note", "application/pdf", Pdfs.WithPages("Commission rogatoire n 4"))), new[] { Disposition.Hold })
            .SetName("CONF_2_a_mention_in_a_pdf_page_is_held");
        yield return new TestCaseData(Body("Note", Document("note", "application/pdf", "%PDF-1.7 broken"u8.ToArray())), new[] { Disposition.Hold })
            .SetName("CONF_2_a_pdf_that_cannot_be_opened_is_held");
        yield return new TestCaseData(Body("Note", Document("note", "image/png", [0x89, 0x50, 0x4E, 0x47], "photo.png")), new[] { Disposition.Hold })
            .SetName("CONF_2_an_image_is_held");
        yield return new TestCaseData(Body("Note", Document("note", "text/plain", "x"u8.ToArray(), "proces-verbal.txt")), new[] { Disposition.Hold })
            .SetName("CONF_2_a_mention_in_a_file_name_is_held");
        yield return new TestCaseData(Body("Voir le \u202Elabrev-secorp\u202C"), new[] { Disposition.Hold })
            .SetName("CONF_2_a_text_reordered_by_direction_controls_is_held");
    }

    [TestCaseSource(nameof(CriminalProcedureCases))]
    public void CriminalProcedure(DisclosedContent content, Disposition[] expected)
    {
        var findings = new CriminalProcedureRule().Evaluate(Context([Member], content: content)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => f.Disposition), Is.EqualTo(expected));
            Assert.That(findings.Select(f => f.Violation.RuleId), Is.All.EqualTo("CONF-2"));
        });
    }

    [Test]
    public void Every_rule_names_its_legal_rule_a_problem_type_and_a_stage()
    {
        IPolicyRule[] rules = [new ThirdPartyRule(), new CriminalProcedureRule(), new InternalRulesInForceRule(), new AcknowledgementRule(), new ForwardingRule()];
        Assert.Multiple(() =>
        {
            Assert.That(rules.Select(r => r.Rule.Id), Is.EqualTo(new[] { "CONF-1", "CONF-2", "CONF-3", "CONF-4", "CONF-5" }));
            Assert.That(rules.Select(r => r.ProblemType), Is.All.StartsWith("/problems/"));
            Assert.That(rules.Single(r => r.Rule.Id == "CONF-2").Stage, Is.EqualTo(RuleStage.Content), "content is read outside the transaction");
            Assert.That(rules.Where(r => r.Rule.Id != "CONF-2").Select(r => r.Stage), Is.All.EqualTo(RuleStage.Audience));
        });
    }
}
