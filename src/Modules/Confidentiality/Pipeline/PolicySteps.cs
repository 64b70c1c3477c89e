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
}

/// <summary>
/// Policy step 1, before the transaction: the sender rules (who may disclose at all), then the reading of the
/// content and the content rules — all of it CPU, no database lock, so that a large attachment never holds the
/// write lock while it is read. A refusal here depends on the sender or the content only, never on the instance,
/// so it is given at once (before the instance is looked up: a stranger learns nothing of it, and refused content
/// is never stored); a dry run goes on to report every violation. Reasons to hold wait for the decision.
/// </summary>
internal sealed class ContentStep<TRequest, TResponse>(IEnumerable<IPolicyRule> rules, ICallerAccessor callers, PolicyEvaluation evaluation)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IDisclosure disclosure)
        {
            return await next();
        }
        var sender = callers.Required;
        var senderContext = new PolicyContext(disclosure, sender, InspectedContent.None, null);
        var refused = rules.Where(r => r.Stage == RuleStage.Sender).SelectMany(r => r.Evaluate(senderContext)).ToList();
        if (refused.Count > 0)
        {
            throw PolicyDeniedException.From(refused.Select(f => f.Violation).ToList(), rules);
        }
        evaluation.Content = ContentInspector.Inspect(disclosure.Content);
        var contentContext = senderContext with { Content = evaluation.Content };
        evaluation.Findings.AddRange(rules.Where(r => r.Stage == RuleStage.Content).SelectMany(r => r.Evaluate(contentContext)));
        var contentDenials = evaluation.Findings.Where(f => f.Disposition == Disposition.Deny).Select(f => f.Violation).ToList();
        if (contentDenials.Count > 0 && !disclosure.DryRun)
        {
            throw PolicyDeniedException.From(contentDenials, rules);
        }
        return await next();
    }
}

/// <summary>
/// Policy step 2, inside the transaction that writes (after the transaction step has begun it): the facts of
/// the disclosure — memberships, the règlement in force, the subject's audience — are read there, so that no
/// membership can change between the decision and the delivery. A sender who is not entitled learns nothing
/// (404). Then the audience rules, and the decision: a violation refuses (403 naming the rule); otherwise a
/// reason to hold keeps the disclosure for a review (a refusal when the request cannot be held); otherwise it
/// goes. A dry run leaves its decision for the handler instead.
/// </summary>
internal sealed class DecisionStep<TRequest, TResponse>(
    IEnumerable<IPolicyRule> rules, IEnumerable<ISubjectAudience> audiences, IMediator mediator, ICallerAccessor callers, TimeProvider clock,
    PolicyEvaluation evaluation) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IDisclosure disclosure)
        {
            return await next();
        }
        var sender = callers.Required;
        var now = clock.GetUtcNow();
        var memberships = await mediator.Send(new GetMemberships(disclosure.InstanceId, [.. disclosure.RecipientOrganisationIds, sender.OrganisationId], now),
            cancellationToken);
        IReadOnlySet<Guid>? audience = null;
        if (memberships is not null && disclosure.Subject is { } subject)
        {
            var provider = audiences.SingleOrDefault(a => a.SubjectKind == subject.Kind)
                ?? throw new InvalidOperationException($"No module answers for the audience of a {subject.Kind}.");
            audience = await provider.AudienceAsync(disclosure.InstanceId, subject.Id, now, cancellationToken);
        }
        var facts = memberships is null ? null : new DisclosureFacts(memberships, audience);
        // An instance (or a subject) that does not exist, or to which the sender is not entitled, is not known to it.
        if (facts is null || (disclosure.Subject is not null && audience is null) || !facts.Entitled(sender.OrganisationId))
        {
            throw new NotFoundException(disclosure.Subject is null ? "No such instance." : $"No such {disclosure.Subject.Kind}.");
        }
        var context = new PolicyContext(disclosure, sender, evaluation.Content, facts);
        var findings = evaluation.Findings.Concat(rules.Where(r => r.Stage == RuleStage.Audience).SelectMany(r => r.Evaluate(context))).ToList();
        var decision = new PolicyDecision(
            findings.Where(f => f.Disposition == Disposition.Deny).Select(f => f.Violation).ToList(),
            findings.Where(f => f.Disposition == Disposition.Hold).Select(f => f.Violation).ToList());
        evaluation.Decision = decision;
        if (disclosure.DryRun || decision.Allowed || (decision.Held && disclosure.MayBeHeld))
        {
            return await next();
        }
        // What needs a review but cannot be kept for one never goes out unreviewed: the holds refuse it.
        throw PolicyDeniedException.From(decision.Held ? decision.Holds : decision.Violations, rules);
    }
}

/// <summary>403 naming the first rule at fault, its article and problem type, and every violation with its recipients, documents and markers.</summary>
internal sealed class PolicyDeniedException(IReadOnlyList<Violation> violations, IPolicyRule first)
    : ProblemException(403, first.ProblemType, "Refused by the confidentiality policy", violations[0].Message)
{
    public static PolicyDeniedException From(IReadOnlyList<Violation> violations, IEnumerable<IPolicyRule> rules) =>
        new(violations, rules.First(r => r.Rule.Id == violations[0].RuleId))
        {
            Rule = rules.First(r => r.Rule.Id == violations[0].RuleId).Rule,
            Extensions = new Dictionary<string, object?> { ["violations"] = violations },
        };
}
