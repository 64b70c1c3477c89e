using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Errors;
using MediatR;

namespace EtatMajor.Modules.Audit.Http;

/// <summary>
/// Pipeline step 1 (outermost): says what the request does for its audit record: the recipients of a
/// disclosure, and the rule of a denial. The record itself is written by <see cref="AuditMiddleware"/>,
/// which also covers the requests that never reach the mediator (401, unknown routes, token requests).
/// </summary>
internal sealed class AuditBehavior<TRequest, TResponse>(IAuditContext audit) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is IDisclosure disclosure)
        {
            audit.Recipients = disclosure.RecipientOrganisationIds;
        }
        try
        {
            return await next();
        }
        catch (ProblemException problem) when (problem.Rule is not null)
        {
            audit.RuleId = problem.Rule.Id;
            throw;
        }
    }
}
