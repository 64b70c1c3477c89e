namespace EtatMajor.Modules.Confidentiality.Rules;

/// <summary>CONF-3: no confidential exchange without a règlement intérieur adopted by the CDPD, in force for the instance.</summary>
internal sealed class InternalRulesInForceRule : IPolicyRule
{
    public LegalRule Rule => LegalRules.Conf3;

    public string ProblemType => "/problems/no-internal-rules";

    public string Description => "A règlement intérieur adopted by the CDPD is in force for the instance.";

    public RuleStage Stage => RuleStage.Audience;

    public IEnumerable<Finding> Evaluate(PolicyContext context)
    {
        if (BetweenMembers.IsRecord(context))
        {
            yield break;
        }
        if (context.Facts!.Memberships.RulesInForce is null)
        {
            yield return new Finding(new Violation(Rule,
                "No règlement intérieur adopted by the CDPD is in force for this instance: no confidential information can be exchanged."));
        }
    }
}

/// <summary>CONF-4: the sender and every recipient acknowledged the règlement in force — for the members only: the others are refused by CONF-1.</summary>
internal sealed class AcknowledgementRule : IPolicyRule
{
    public LegalRule Rule => LegalRules.Conf4;

    public string ProblemType => "/problems/internal-rules-not-acknowledged";

    public string Description => "The sender and every recipient acknowledged the règlement intérieur in force.";

    public RuleStage Stage => RuleStage.Audience;

    public IEnumerable<Finding> Evaluate(PolicyContext context)
    {
        var memberships = context.Facts!.Memberships;
        if (BetweenMembers.IsRecord(context) || memberships.RulesInForce is not { } rules)
        {
            yield break;
        }
        var missing = context.Disclosure.RecipientOrganisationIds.Append(context.DisclosingOrganisationId).Distinct()
            .Where(id => memberships.Organisations.GetValueOrDefault(id) is { IsMember: true, AcknowledgedRulesInForce: false })
            .ToList();
        if (missing.Count > 0)
        {
            yield return new Finding(new Violation(Rule,
                $"These organisations have not acknowledged version '{rules.Version}' of the règlement intérieur in force: they exchange only once they have.",
                recipients: missing));
        }
    }
}

/// <summary>
/// Minutes are the instance's own record of a meeting, read by its members (their membership checked at each
/// reading), not an exchange sent under the règlement intérieur: CONF-3 and CONF-4 do not apply to them; CONF-2
/// does, in full. (Reading chosen and written in docs/exchanges.md.)
/// </summary>
internal static class BetweenMembers
{
    public static bool IsRecord(PolicyContext context) => context.Disclosure.Kind == DisclosureKinds.Minutes;
}
