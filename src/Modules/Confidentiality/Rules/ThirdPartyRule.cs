using EtatMajor.SharedKernel.Disclosures;

namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>
/// CONF-1 (and CONF-5 for a forward): every recipient is entitled to the information — a current member of the
/// instance, or, for information about a subject, one of that subject's audience — and the sender is not one
/// of its own recipients.
/// </summary>
internal sealed class ThirdPartyRule : IPolicyRule
{
    public LegalRule Rule => LegalRules.Conf1;

    public string ProblemType => "/problems/third-party-recipient";

    public string Description =>
        "Every recipient, and the sender, is a current member of the instance (for information about a designated person: a co-chair or an assigned service): guests, participants, removed members and outsiders are third parties.";

    public RuleStage Stage => RuleStage.Audience;

    public IEnumerable<Finding> Evaluate(PolicyContext context)
    {
        var facts = context.Facts!;
        var recipients = context.Disclosure.RecipientOrganisationIds;
        var thirdParties = recipients.Where(id => !facts.Entitled(id)).ToList();
        if (thirdParties.Count > 0)
        {
            yield return new Finding(new Violation(Rule,
                Forwarded(context, context.Disclosure.Subject is null
                    ? "Confidential information is never communicated to third parties: these recipients are not current members of the instance (guests, removed members and outsiders are third parties)."
                    : "Information about a designated person goes only to the co-chairs of the instance and the services assigned to that follow-up: these recipients are neither (members, participants and removed services are third parties)."),
                recipients: thirdParties));
        }
        var sender = context.DisclosingOrganisationId;
        if (recipients.Contains(sender))
        {
            yield return new Finding(new Violation(Rule, "The sender is not one of its own recipients.", recipients: [sender]));
        }
        if (context.Disclosure.DisclosedBy is { } original && !facts.Entitled(original))
        {
            yield return new Finding(new Violation(Rule,
                "The sender of this exchange is no longer a member of the instance: what it sent is not delivered in its name.", recipients: [original]));
        }
    }

    internal static string Forwarded(PolicyContext context, string message) =>
        context.Disclosure.Kind == DisclosureKinds.Forward
            ? $"{message} Forwarding is an exchange ({LegalRules.Conf5.Id}): the same rules apply."
            : message;
}

/// <summary>CONF-5: forwarding is an exchange. It adds no check of its own: every other rule applies to each new recipient.</summary>
internal sealed class ForwardingRule : IPolicyRule
{
    public LegalRule Rule => LegalRules.Conf5;

    public string ProblemType => "/problems/policy-denied";

    public string Description => "Forwarding is an exchange: every rule above applies to each new recipient.";

    public RuleStage Stage => RuleStage.Audience;

    public IEnumerable<Finding> Evaluate(PolicyContext context) => [];
}
