using EtatMajor.SharedKernel.Telemetry;
using EtatMajor.Modules.Confidentiality.Rules;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Identity;
using MediatR;

namespace EtatMajor.Modules.Confidentiality.Pipeline;

/// <summary>
/// The policy of one request, between its two steps: what the content step found, then the decision of the
/// audience step (read by the handler of a dry run or of a held disclosure). Scoped to the request.
/// </summary>
internal sealed class PolicyEvaluation : IPolicyOutcome
{
    public InspectedContent Content { get; set; } = InspectedContent.None;

    public List<Finding> Findings { get; } = [];

    public PolicyDecision? Decision { get; set; }

    private (DisclosedContent Content, InspectedContent Inspected)? lastRead;

    /// <summary>A request may carry more than one disclosure (a handler sending another): each starts afresh.</summary>
    public void Reset()
    {
        Content = InspectedContent.None;
        Findings.Clear();
        Decision = null;
    }

    /// <summary>
    /// Reads a content, once per request: the same content disclosed in several instances (a synthesis delivered to
    /// each instance where the procureur sits) is read before the first one's transaction, never again under its lock.
    /// </summary>
    public InspectedContent Inspect(DisclosedContent content)
    {
        if (lastRead is { } last && ReferenceEquals(last.Content, content))
        {
            return last.Inspected;
        }
        var inspected = ContentInspector.Inspect(content);
        lastRead = (content, inspected);
        return inspected;
    }
}

/// <summary>
/// Policy step 1, before the transaction, in this order:
/// 1. the sender rules (who may disclose at all), before the instance is even looked up;
/// 2. the facts as they stand now (memberships, the subject's audience), read without any lock: an instance or
///    a subject that does not exist, or to which the sender is not entitled, is not known to it (404), before
///    anything of the content is read;
/// 3. the reading of the content and the content rules — CPU only, no lock, so that a large attachment never
///    holds the write lock while it is read;
/// 4. the audience rules on those facts, so that a refusal names every violation at once (a third party and a
///    procedure document), in the order the rules are registered.
/// A refusal is given here, before anything is staged or locked; a dry run goes on and reports it. The decision
/// that counts is taken again in step 2, on the facts read inside the transaction.
/// </summary>
internal sealed class ContentStep<TRequest, TResponse>(
    IEnumerable<IPolicyRule> rules, DisclosureFactsReader facts, ICallerAccessor callers, PolicyEvaluation evaluation)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IDisclosure disclosure)
        {
            return await next();
        }
        evaluation.Reset();
        var sender = callers.Required;
        var context = new PolicyContext(disclosure, sender, InspectedContent.None, null);
        evaluation.Findings.AddRange(rules.Where(r => r.Stage == RuleStage.Sender).SelectMany(r => r.Evaluate(context)));
        if (!disclosure.DryRun)
        {
            RefuseIfDenied(evaluation.Findings);
        }
        var before = await facts.ReadAsync(disclosure, sender, cancellationToken);

        evaluation.Content = evaluation.Inspect(disclosure.Content);
        context = context with { Content = evaluation.Content };
        evaluation.Findings.AddRange(rules.Where(r => r.Stage == RuleStage.Content).SelectMany(r => r.Evaluate(context)));

        if (!disclosure.DryRun)
        {
            var audience = rules.Where(r => r.Stage == RuleStage.Audience).SelectMany(r => r.Evaluate(context with { Facts = before }));
            RefuseIfDenied([.. evaluation.Findings, .. audience]);
        }
        return await next();
    }

    private void RefuseIfDenied(IReadOnlyList<Finding> findings)
    {
        var denials = findings.Where(f => f.Disposition == Disposition.Deny).Select(f => f.Violation).ToList();
        if (denials.Count > 0)
        {
            PolicyMetrics.Record(new PolicyDecision(denials, []));
            throw PolicyDeniedException.From(denials, rules);
        }
    }
}

/// <summary>
/// Policy step 2, inside the transaction that writes (after the transaction step has begun it): the facts of
/// the disclosure — memberships, the règlement in force, the subject's audience — are read again there, so that
/// no membership can change between the decision and the delivery (a sender removed in between learns nothing:
/// 404). Then the audience rules, and the decision: a violation refuses (403 naming the rule); otherwise a
/// reason to hold keeps the disclosure for a review (a refusal when the request cannot be held); otherwise it
/// goes. A dry run leaves its decision for the handler instead.
/// </summary>
internal sealed class DecisionStep<TRequest, TResponse>(
    IEnumerable<IPolicyRule> rules, DisclosureFactsReader facts, ICallerAccessor callers, PolicyEvaluation evaluation)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IDisclosure disclosure)
        {
            return await next();
        }
        var sender = callers.Required;
        var context = new PolicyContext(disclosure, sender, evaluation.Content, await facts.ReadAsync(disclosure, sender, cancellationToken));
        var findings = evaluation.Findings.Concat(rules.Where(r => r.Stage == RuleStage.Audience).SelectMany(r => r.Evaluate(context))).ToList();
        var decision = new PolicyDecision(
            PolicyDeniedException.InRuleOrder(findings.Where(f => f.Disposition == Disposition.Deny).Select(f => f.Violation), rules),
            PolicyDeniedException.InRuleOrder(findings.Where(f => f.Disposition == Disposition.Hold).Select(f => f.Violation), rules));
        evaluation.Decision = decision;
        PolicyMetrics.Record(decision);
        if (disclosure.DryRun || decision.Allowed || (decision.Held && disclosure.MayBeHeld))
        {
            return await next();
        }
        // What needs a review but cannot be kept for one never goes out unreviewed: the holds refuse it.
        throw PolicyDeniedException.From(decision.Held ? decision.Holds : decision.Violations, rules);
    }
}

/// <summary>
/// The facts a decision rests on, as they stand when read: the instance's memberships of the sender and the
/// recipients, and the subject's audience. Throws 404 when the instance or the subject does not exist or the
/// sender is not entitled to it: a stranger learns nothing, not even that the instance exists.
/// </summary>
internal sealed class DisclosureFactsReader(IEnumerable<ISubjectAudience> audiences, IMediator mediator, TimeProvider clock)
{
    public async Task<DisclosureFacts> ReadAsync(IDisclosure disclosure, Caller sender, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        IReadOnlyCollection<Guid> organisations = disclosure.DisclosedBy is { } original
            ? [.. disclosure.RecipientOrganisationIds, sender.OrganisationId, original]
            : [.. disclosure.RecipientOrganisationIds, sender.OrganisationId];
        var memberships = await mediator.Send(new GetMemberships(disclosure.InstanceId, organisations, now), cancellationToken);
        IReadOnlySet<Guid>? audience = null;
        if (memberships is not null && disclosure.Subject is { } subject)
        {
            var provider = audiences.SingleOrDefault(a => a.SubjectKind == subject.Kind)
                ?? throw new InvalidOperationException($"No module answers for the audience of a {subject.Kind}.");
            audience = await provider.AudienceAsync(disclosure.InstanceId, subject.Id, now, cancellationToken);
        }
        var facts = memberships is null ? null : new DisclosureFacts(memberships, audience);
        if (facts is null || (disclosure.Subject is not null && audience is null) || !facts.Entitled(sender.OrganisationId))
        {
            throw new NotFoundException(disclosure.Subject is null ? "No such instance." : $"No such {disclosure.Subject.Kind}.");
        }
        return facts;
    }
}

/// <summary>403 naming the first rule at fault, its article and problem type, and every violation with its recipients, documents and markers.</summary>
internal sealed class PolicyDeniedException(IReadOnlyList<Violation> violations, IPolicyRule first)
    : ProblemException(403, first.ProblemType, "Refused by the confidentiality policy", violations[0].Message)
{
    public static PolicyDeniedException From(IReadOnlyList<Violation> violations, IEnumerable<IPolicyRule> rules)
    {
        var ordered = InRuleOrder(violations, rules);
        var first = rules.First(r => r.Rule.Id == ordered[0].RuleId);
        return new(ordered, first)
        {
            Rule = first.Rule,
            Extensions = new Dictionary<string, object?> { ["violations"] = ordered },
        };
    }

    /// <summary>Violations in the order their rules are registered (CONF-1 first), whatever stage found them.</summary>
    public static IReadOnlyList<Violation> InRuleOrder(IEnumerable<Violation> violations, IEnumerable<IPolicyRule> rules)
    {
        var order = rules.Select(r => r.Rule.Id).Distinct().ToList();
        return violations.OrderBy(v => order.IndexOf(v.RuleId) is var i and >= 0 ? i : int.MaxValue).ToList();
    }
}

/// <summary>The policy's decisions counted by rule and outcome (issue 15, `etatmajor.policy.decisions`): no value of the request.</summary>
internal static class PolicyMetrics
{
    public static void Record(PolicyDecision decision)
    {
        if (decision.Allowed)
        {
            Instruments.PolicyDecisions.Add(1, new KeyValuePair<string, object?>("rule", "none"), new KeyValuePair<string, object?>("outcome", "allow"));
            return;
        }
        foreach (var violation in decision.Violations)
        {
            Instruments.PolicyDecisions.Add(1, new KeyValuePair<string, object?>("rule", violation.RuleId), new KeyValuePair<string, object?>("outcome", "deny"));
        }
        foreach (var hold in decision.Violations.Count > 0 ? [] : decision.Holds)
        {
            Instruments.PolicyDecisions.Add(1, new KeyValuePair<string, object?>("rule", hold.RuleId), new KeyValuePair<string, object?>("outcome", "hold"));
        }
    }
}
