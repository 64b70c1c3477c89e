using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Law;
using Microsoft.AspNetCore.Mvc;

namespace EtatMajor.Api.Http;

/// <summary>
/// After authorization, the requirements an endpoint declares (EndpointRequirements), checked once for every
/// request, in this order: an authorising act for what stores personal data (403 DATA-1), the motif of a
/// consultation or communication of personal data (400 without `X-Justification`, LOG-1), the version of a
/// resource an update must name (428 without `If-Match`: any method of a `.Versioned()` endpoint).
/// </summary>
internal sealed class EndpointRequirementsMiddleware(RequestDelegate next, IProblemDetailsService problems, AuthorisingAct act)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<StoresPersonalData>() is not null && !act.PermitsPersonalData)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = 403, Type = ProblemTypes.NoAuthorisingAct, Title = "No authorising act",
                    Detail = "This deployment names no regulatory act authorising the processing of personal data, so none is stored. " +
                             $"The operators must set {string.Join(" and ", act.Missing)} (the act's NOR and the CNIL deliberation).",
                    Extensions =
                    {
                        ["ruleId"] = LegalRules.Data1.Id, ["legalBasis"] = LegalRules.Data1.LegalBasis, ["missingSettings"] = act.Missing,
                    },
                },
            });
            return;
        }
        if (metadata?.GetMetadata<JustificationRequired>() is not null && string.IsNullOrWhiteSpace(context.Request.Headers[CallerHeaders.Justification]))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    [CallerHeaders.Justification] =
                        ["is required: the reason for this consultation or communication of personal data, kept in the access log (loi 78-17 art. 101, LOG-1)"],
                })
                {
                    Status = 400, Type = ProblemTypes.Validation, Title = "Invalid request", Detail = "The motif of the consultation is missing.",
                    Extensions = { ["ruleId"] = LegalRules.Log1.Id, ["legalBasis"] = LegalRules.Log1.LegalBasis },
                },
            });
            return;
        }
        if (metadata?.GetMetadata<Versioned>() is not null && string.IsNullOrEmpty(context.Request.Headers.IfMatch))
        {
            await problems.WriteProblemAsync(context, StatusCodes.Status428PreconditionRequired, ProblemTypes.PreconditionRequired, "Precondition required",
                "If-Match is required: send the ETag of the version you read, so that no one's change is overwritten.");
            return;
        }
        await next(context);
    }
}
