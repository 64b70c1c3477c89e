using EtatMajor.SharedKernel.Errors;

namespace EtatMajor.Modules.Audit.Http;

/// <summary>
/// Pipeline step 1 (outermost): tells the request's record what the pipeline learns — the recipients of a
/// disclosure, the rule of a denial, what the request targets and what a command created (<see cref="ICreatedResource"/>). The record itself
/// is built and made durable by <see cref="AuditMiddleware"/>, which also covers the requests that never reach
/// the mediator (401, unknown routes, token requests).
/// </summary>
internal sealed class AuditBehavior<TRequest, TResponse>(IAuditContext audit) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is IDisclosure disclosure)
        {
            // A request that discloses in several instances (a synthesis) records every recipient.
            audit.Recipients = audit.Recipients is { } earlier ? [.. earlier.Union(disclosure.RecipientOrganisationIds)] : disclosure.RecipientOrganisationIds;
        }
        if (request is ITargetsResource target)
        {
            audit.Targets(target.TargetResourceId);
        }
        try
        {
            var response = await next();
            if (request is ICommand<TResponse> && response is ICreatedResource created)
            {
                audit.Created(created.CreatedResourceId);
            }
            return response;
        }
        catch (ProblemException problem) when (problem.Rule is not null)
        {
            audit.RuleId = problem.Rule.Id;
            throw;
        }
    }
}
