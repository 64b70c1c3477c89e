using EtatMajor.Modules.Confidentiality.Contracts;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Law;

namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>Everything a rule looks at: the disclosure, its sender, and the memberships as they stand now.</summary>
internal sealed record DisclosureContext(IDisclosure Disclosure, Guid SenderOrganisationId, InstanceMemberships Memberships);

/// <summary>A rule of the policy layer: a pure function of the context, with its id and article.</summary>
internal sealed record PolicyRule(LegalRule Rule, string Description, Func<DisclosureContext, IEnumerable<Violation>> Evaluate);

/// <summary>
/// The confidentiality rules (L132-10-1 II; R132-6-1 III). Each is a small pure function; together they
/// decide every disclosure, in the one pipeline step no handler can skip.
/// </summary>
internal static class ConfidentialityRules
{
    /// <summary>Document kinds that are pieces of a criminal procedure: they never travel (CONF-2).</summary>
    public static readonly string[] ForbiddenKinds =
    [
        "proces-verbal", "requisition", "ordonnance", "commission-rogatoire", "expertise", "jugement", "copie-dossier-procedure",
        "extrait-casier-judiciaire",
    ];

    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        new(LegalRules.Conf1, "Every recipient, and the sender, is a current member of the instance: guests, removed members and outsiders are third parties.", ThirdParties),
        new(LegalRules.Conf2, "No document of a criminal procedure, whether declared as such or recognised in its text.", CriminalProcedureDocuments),
        new(LegalRules.Conf3, "A règlement intérieur adopted by the CDPD is in force for the instance.", InternalRulesInForce),
        new(LegalRules.Conf4, "The sender and every recipient acknowledged the règlement intérieur in force.", Acknowledged),
        new(LegalRules.Conf5, "Forwarding is an exchange: every rule above applies to each new recipient.", _ => []),
    ];

    public static PolicyDecision Decide(DisclosureContext context)
    {
        var violations = All.SelectMany(rule => rule.Evaluate(context)).ToList();
        return new PolicyDecision(violations.Count == 0, violations);
    }

    private static string Forwarded(DisclosureContext context, string message) =>
        context.Disclosure.Forwarding ? $"{message} Forwarding is an exchange ({LegalRules.Conf5.Id}): the same rules apply." : message;

    /// <summary>CONF-1 (and CONF-5 for a forward).</summary>
    private static IEnumerable<Violation> ThirdParties(DisclosureContext context)
    {
        var recipients = context.Disclosure.RecipientOrganisationIds;
        var thirdParties = recipients.Where(id => context.Memberships.Organisations.GetValueOrDefault(id)?.IsMember != true).ToList();
        if (thirdParties.Count > 0)
        {
            yield return new Violation(LegalRules.Conf1.Id, LegalRules.Conf1.LegalBasis,
                Forwarded(context, "Confidential information is never communicated to third parties: these recipients are not current members of the instance (guests, removed members and outsiders are third parties)."),
                Recipients: thirdParties);
        }
        if (recipients.Contains(context.SenderOrganisationId))
        {
            yield return new Violation(LegalRules.Conf1.Id, LegalRules.Conf1.LegalBasis, "The sender is not one of its own recipients.",
                Recipients: [context.SenderOrganisationId]);
        }
    }

    /// <summary>CONF-2: a forbidden declared kind, a document whose text shows it is one, or an unreadable one.</summary>
    private static IEnumerable<Violation> CriminalProcedureDocuments(DisclosureContext context)
    {
        var content = context.Disclosure.Content;
        var declared = content.Documents.Where(d => ForbiddenKinds.Contains(d.DocumentKind)).ToList();
        if (declared.Count > 0)
        {
            yield return new Violation(LegalRules.Conf2.Id, LegalRules.Conf2.LegalBasis,
                "Documents of a criminal procedure never travel through an exchange: these attachments are declared as such.",
                Attachments: declared.Select(d => $"{d.Location} ({d.FileName}, {d.DocumentKind})").ToList());
        }
        var unreadable = new List<string>();
        var found = new List<MarkerFound>();
        foreach (var text in content.Texts)
        {
            found.AddRange(Markers.Find(text.Text, text.Location));
        }
        foreach (var document in content.Documents)
        {
            found.AddRange(Markers.Find(document.FileName, $"{document.Location} file name"));
            var texts = DocumentText.Extract($"{document.Location} ({document.FileName})", document.MediaType, document.Content);
            if (texts is null)
            {
                unreadable.Add($"{document.Location} ({document.FileName})");
                continue;
            }
            found.AddRange(texts.SelectMany(t => Markers.Find(t.Text, t.Location)));
        }
        if (found.Count > 0)
        {
            yield return new Violation(LegalRules.Conf2.Id, LegalRules.Conf2.LegalBasis,
                "The content shows a document of a criminal procedure, which never travels through an exchange (" +
                string.Join("; ", found.Select(m => $"'{m.Excerpt}' in {m.Location}")) + ").",
                Attachments: found.Select(m => m.Location).Distinct().ToList(), Markers: found);
        }
        if (unreadable.Count > 0)
        {
            // Protective reading: what cannot be read cannot be shown not to be a piece of procedure.
            yield return new Violation(LegalRules.Conf2.Id, LegalRules.Conf2.LegalBasis,
                "These attachments hold a PDF that cannot be read, so they cannot be checked for documents of a criminal procedure.",
                Attachments: unreadable);
        }
    }

    /// <summary>CONF-3.</summary>
    private static IEnumerable<Violation> InternalRulesInForce(DisclosureContext context)
    {
        if (context.Memberships.RulesInForce is null)
        {
            yield return new Violation(LegalRules.Conf3.Id, LegalRules.Conf3.LegalBasis,
                "No règlement intérieur adopted by the CDPD is in force for this instance: no confidential information can be exchanged.");
        }
    }

    /// <summary>CONF-4 — for the members only: the others are already refused by CONF-1.</summary>
    private static IEnumerable<Violation> Acknowledged(DisclosureContext context)
    {
        if (context.Memberships.RulesInForce is not { } rules)
        {
            yield break;
        }
        var missing = context.Disclosure.RecipientOrganisationIds.Append(context.SenderOrganisationId).Distinct()
            .Where(id => context.Memberships.Organisations.GetValueOrDefault(id) is { IsMember: true, AcknowledgedRulesInForce: false })
            .ToList();
        if (missing.Count > 0)
        {
            yield return new Violation(LegalRules.Conf4.Id, LegalRules.Conf4.LegalBasis,
                $"These organisations have not acknowledged version '{rules.Version}' of the règlement intérieur in force: they exchange only once they have.",
                Recipients: missing);
        }
    }
}
