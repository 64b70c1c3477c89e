using EtatMajor.Modules.Confidentiality.Contracts;
using EtatMajor.Modules.Confidentiality.Rules;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Law;
using MediatR;

namespace EtatMajor.Modules.Confidentiality.Http;

/// <summary>
/// The policy step of the pipeline (after validation, before the transaction and the handler): every
/// request that discloses information is decided here, on today's membership, before anything is stored or
/// delivered. No handler evaluates a confidentiality rule itself, and none can skip this step: it is an
/// open-generic behavior that runs for every request, and an architecture test checks that every request
/// carrying recipients or attachments is an <see cref="IDisclosure"/>.
/// </summary>
internal sealed class PolicyBehavior<TRequest, TResponse>(
    IMediator mediator, ICallerAccessor callers, TimeProvider clock, PolicyOutcome outcome, EtatMajor.SharedKernel.Data.IDbSession session)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IDisclosure disclosure)
        {
            return await next();
        }
        if (!disclosure.DryRun)
        {
            // The decision and the write share one transaction: on SQLite it holds the write lock from here,
            // so no membership can change between the decision and the delivery.
            await session.BeginAsync(cancellationToken);
        }
        var sender = callers.Required.OrganisationId;
        var memberships = await mediator.Send(new GetMemberships(disclosure.InstanceId,
            [.. disclosure.RecipientOrganisationIds, sender], clock.GetUtcNow()), cancellationToken);
        // An instance that does not exist, or of which the sender is not a member, is not known to it: 404.
        if (memberships is null || memberships.Organisations[sender].IsMember != true)
        {
            throw new NotFoundException("No such instance.");
        }
        var decision = ConfidentialityRules.Decide(new DisclosureContext(disclosure, sender, memberships));
        if (disclosure.DryRun)
        {
            outcome.Decision = decision;
            return await next();
        }
        if (!decision.Allowed)
        {
            throw new PolicyDeniedException(decision);
        }
        return await next();
    }
}

/// <summary>The decision of the policy step for a dry run, scoped to the request.</summary>
internal sealed class PolicyOutcome : IPolicyOutcome
{
    public PolicyDecision? Decision { get; set; }
}

/// <summary>403 naming the first rule at fault, its article, and every violation with its recipients, documents and markers.</summary>
internal sealed class PolicyDeniedException : ProblemException
{
    public PolicyDeniedException(PolicyDecision decision)
        : base(403, TypeOf(decision.Violations[0].RuleId), "Refused by the confidentiality policy", decision.Violations[0].Message)
    {
        Rule = LegalRules.All.Single(r => r.Id == decision.Violations[0].RuleId);
        Extensions = new Dictionary<string, object?> { ["violations"] = decision.Violations };
    }

    public static string TypeOf(string ruleId) => ruleId switch
    {
        "CONF-1" => "/problems/third-party-recipient",
        "CONF-2" => "/problems/criminal-procedure-document",
        "CONF-3" => "/problems/no-internal-rules",
        "CONF-4" => "/problems/internal-rules-not-acknowledged",
        _ => "/problems/policy-denied",
    };
}
