using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EtatMajor.Api.Auth;

/// <summary>The caller from the validated access token and the X-On-Behalf-Of header.</summary>
internal sealed class HttpCallerAccessor(IHttpContextAccessor http) : ICallerAccessor
{
    private Caller? cached;

    public Caller? Current => cached ??= From(http.HttpContext);

    /// <summary>The operator's command line only (Hosting/CommandLine.cs): its scope has no request, its caller is the operator.</summary>
    internal void ActAs(Caller operatorCaller) => cached = operatorCaller;

    private static Caller? From(HttpContext? context)
    {
        var user = context?.User;
        if (user?.Identity?.IsAuthenticated != true
            || user.GetClaim(Claims.Subject) is not { } clientId
            || !Guid.TryParse(user.GetClaim(EtatMajorClaims.OrganisationId), out var organisationId)
            || !Kebab.TryParse<OrganisationKind>(user.GetClaim(EtatMajorClaims.OrganisationKind), out var kind))
        {
            return null;
        }
        var onBehalfOf = context!.Request.Headers[CallerHeaders.OnBehalfOf].ToString();
        return new Caller(clientId, organisationId, kind, user.GetScopes().ToHashSet(StringComparer.Ordinal),
            string.IsNullOrEmpty(onBehalfOf) ? null : onBehalfOf);
    }
}

internal sealed class AccessRequirement : IAuthorizationRequirement;

/// <summary>Lets a request through when one of the endpoint's <see cref="AccessRule"/>s matches the caller.</summary>
internal sealed class AccessHandler(ICallerAccessor callers) : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        var metadata = (context.Resource as HttpContext)?.GetEndpoint()?.Metadata;
        var rules = metadata?.GetOrderedMetadata<AccessRule>() ?? [];
        if (callers.Current is { } caller && metadata?.GetMetadata<RefusedSenders>()?.Refuses(caller) != true && rules.Any(rule => rule.Allows(caller)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>401 and 403 from authorization as problem+json, saying what the operation requires.</summary>
internal sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = 401, Type = ProblemTypes.Unauthorized, Title = "Authentication required",
                    Detail = "A valid access token from /connect/token is required (missing, expired, malformed or revoked token, or disabled client).",
                },
            });
            return;
        }
        if (authorizeResult.Forbidden && context.GetEndpoint()?.Metadata.GetMetadata<RefusedSenders>() is { } refused
            && context.RequestServices.GetRequiredService<ICallerAccessor>().Current is { } caller && refused.Refuses(caller))
        {
            // A rule of law, not a missing scope: the answer and the access-log record name it.
            context.RequestServices.GetRequiredService<SharedKernel.Auditing.IAuditContext>().RuleId = refused.Rule.Id;
            throw new ForbiddenException(refused.Detail, refused.ProblemType) { Rule = refused.Rule };
        }
        if (authorizeResult.Forbidden)
        {
            var rules = context.GetEndpoint()?.Metadata.GetOrderedMetadata<AccessRule>() ?? [];
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = 403, Type = ProblemTypes.MissingScope, Title = "Not allowed for this client",
                    Detail = "This operation requires " + string.Join(" or ", rules.Select(r => r.ToString())) + ".",
                },
            });
            return;
        }
        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>
/// After authentication: a disabled client's tokens are refused from its very next request (an indexed lookup;
/// on SQLite, one API process, an "enabled" seen less than a second ago and not since invalidated by a disabling:
/// <c>EnabledClients</c>), and X-On-Behalf-Of is bounded.
/// </summary>
internal sealed class CallerCheckMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, Modules.Governance.Contracts.IClientDirectory clients, IProblemDetailsService problems)
    {
        var errors = new Dictionary<string, string[]>();
        CheckHeader(context, CallerHeaders.OnBehalfOf, CallerHeaders.MaxOnBehalfOfLength, "one opaque agent id", errors);
        CheckHeader(context, CallerHeaders.Justification, CallerHeaders.MaxJustificationLength, "one reason for the consultation", errors);
        if (errors.Count > 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new HttpValidationProblemDetails(errors) { Status = 400, Type = ProblemTypes.Validation, Title = "Invalid request" },
            });
            return;
        }
        // UseAuthentication ran before: the user is set when the token validated.
        if (context.User.Identity?.IsAuthenticated == true && context.User.GetClaim(Claims.Subject) is { } clientId
            && !await clients.IsEnabledAsync(clientId, CredentialsVersion(context.User), context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"token no longer accepted for this client\"";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = 401, Type = ProblemTypes.Unauthorized, Title = "Authentication required",
                    Detail = "This client has been disabled, enabled again or given a new secret: this token is no longer accepted; ask /connect/token for another.",
                },
            });
            return;
        }
        await next(context);
    }

    /// <summary>The credentials version the token was issued under: 0 for a token that carries none (issued before versions existed).</summary>
    private static int CredentialsVersion(System.Security.Claims.ClaimsPrincipal user) =>
        int.TryParse(user.GetClaim(EtatMajorClaims.CredentialsVersion), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version : 0;

    private static void CheckHeader(HttpContext context, string name, int max, string what, Dictionary<string, string[]> errors)
    {
        var values = context.Request.Headers[name];
        if (values.Count > 1 || values.ToString().Length > max || values.ToString().Any(char.IsControl))
        {
            errors[name] = [$"{what} of at most {max} printable characters"];
        }
    }
}
