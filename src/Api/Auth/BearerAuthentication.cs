using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;

namespace EtatMajor.Api.Auth;

/// <summary>
/// The API's authentication scheme: a bearer token already validated is taken from <see cref="ValidatedTokens"/>;
/// any other goes to OpenIddict's validation, and is kept once it validates. OpenIddict's own pipeline of events (a
/// dispatcher, its filters and a dozen handlers) ran on every request even when the token had been kept: 5 % of the
/// machine for the audited read (docs/performance.md). A request without an Authorization header is anonymous at once
/// (tokens are read from that header only: OpenIddict's reading of the query string and of a form body is off, a
/// token in a URL ends up in logs); another scheme or an unknown token goes to OpenIddict. OpenIddict's discovery
/// documents (`/.well-known/…`) are not served: the API is its tokens' only audience and validates them itself.
/// </summary>
internal sealed class BearerAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ValidatedTokens kept, IOptionsMonitor<OpenIddictValidationOptions> validation)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "EtatMajor.Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            // Anonymous (a probe, the token endpoint, a caller that forgot its token): nothing for OpenIddict to read.
            return AuthenticateResult.NoResult();
        }
        var token = BearerToken(header);
        var issuer = validation.CurrentValue.Issuer?.AbsoluteUri ?? $"{Request.Scheme}://{Request.Host}{Request.PathBase}/";
        if (token is not null && kept.Find(issuer, token) is { } principal)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
        }
        // OpenIddict's validation begins its transaction as a request handler, as the framework's middleware would run it.
        var openIddict = await Context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>()
            .GetHandlerAsync(Context, OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme) as IAuthenticationRequestHandler;
        if (openIddict is not null && await openIddict.HandleRequestAsync())
        {
            return AuthenticateResult.Fail("OpenIddict's validation answered the request itself.");
        }
        var result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded)
        {
            return result.None ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(result.Failure ?? new InvalidOperationException("The access token is invalid."));
        }
        if (token is not null)
        {
            kept.Keep(issuer, token, result.Principal);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(result.Principal, SchemeName));
    }

    /// <summary>The token of `Authorization: Bearer …` (the scheme in any case, as OpenIddict reads it), or null.</summary>
    private static string? BearerToken(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token : null;

    /// <summary>
    /// 401 and 403 themselves (the authorization step writes their problem documents): OpenIddict's own challenge needs
    /// the transaction of a validation it may not have run (a kept token, no header).
    /// </summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}

/// <summary>
/// Authentication for every request: OpenIddict's server answers its own endpoints (the token endpoint, under /connect)
/// as a request handler of the framework's authentication middleware, which asked it about every request (5 % of the
/// machine for the audited read): that middleware now runs for the paths under /connect only (<see cref="UseAuthenticationStep"/>),
/// and this step authenticates the others with the default scheme, as it does.
/// </summary>
internal sealed class AuthenticationStep(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(BearerAuthentication.SchemeName);
        if (result.Principal is { } principal)
        {
            context.User = principal;
        }
        await next(context);
    }
}

internal static class AuthenticationSteps
{
    /// <summary>The token endpoint's paths, in any case and with repeated slashes: OpenIddict is asked about these only.</summary>
    private static bool MayBeOpenIddictEndpoint(HttpContext context) =>
        context.Request.Path.Value?.Contains("/connect", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// The key by which the framework's UseAuthentication marks the pipeline; a branch's mark stays in the branch, and
    /// without it WebApplication would put its own authentication middleware, OpenIddict's server and all, in front of
    /// every request.
    /// </summary>
    private const string AuthenticationMiddlewareSet = "__AuthenticationMiddlewareSet";

    public static IApplicationBuilder UseAuthenticationStep(this IApplicationBuilder app)
    {
        app.Properties[AuthenticationMiddlewareSet] = true;
        return app.UseWhen(MayBeOpenIddictEndpoint, openIddict => openIddict.UseAuthentication())
            .UseMiddleware<AuthenticationStep>();
    }
}
