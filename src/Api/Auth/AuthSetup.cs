using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Microsoft.AspNetCore;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = EtatMajor.SharedKernel.Identity.Scopes;

namespace EtatMajor.Api.Auth;

/// <summary>
/// OAuth2 client credentials with OpenIddict in degraded mode: no OpenIddict stores, our own client table
/// (Governance's <see cref="IClientDirectory"/>). Access tokens are signed JWTs, not encrypted: the API is
/// their only audience, and skipping encryption avoids an RSA private-key operation on every request.
/// </summary>
internal static class AuthSetup
{
    public const string TokenPath = "/connect/token";

    /// <summary>The token endpoint as OpenIddict serves it: any case, with or without a trailing slash.</summary>
    public static bool IsTokenPath(PathString path) =>
        string.Equals(path.Value?.TrimEnd('/'), TokenPath, StringComparison.OrdinalIgnoreCase);
    private const string ClientProperty = ".etatmajor.client";

    /// <summary>Settings required outside Development and Testing: the token certificates.</summary>
    public static IEnumerable<string> MissingProductionSettings(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment() || environment.IsEnvironment("Testing"))
        {
            yield break;
        }
        if (string.IsNullOrEmpty(configuration["Auth:SigningCertificate:Path"]))
        {
            yield return "Auth:SigningCertificate:Path (Auth__SigningCertificate__Path): a PKCS#12 file that signs access tokens";
        }
        if (string.IsNullOrEmpty(configuration["Auth:EncryptionCertificate:Path"]))
        {
            yield return "Auth:EncryptionCertificate:Path (Auth__EncryptionCertificate__Path): a PKCS#12 file for OpenIddict's encryption key";
        }
    }

    public static IServiceCollection AddEtatMajorAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var keys = SigningKeys.From(configuration, environment);
        var lifetime = AccessTokenLifetime(configuration);

        services.AddOpenIddict()
            .AddServer(options =>
            {
                options.EnableDegradedMode();
                options.SetTokenEndpointUris(TokenPath.TrimStart('/'));
                options.AllowClientCredentialsFlow();
                options.AcceptAnonymousClients(); // checked by our own handler below, never anonymous in fact
                options.SetAccessTokenLifetime(lifetime);
                options.DisableAccessTokenEncryption();
                options.RegisterScopes([.. Scopes.All]);
                if (configuration["Auth:Issuer"] is { Length: > 0 } issuer)
                {
                    options.SetIssuer(new Uri(issuer));
                }
                keys.Apply(options);
                var aspNetCore = options.UseAspNetCore();
                if (keys.Ephemeral)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
                options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(b => b.UseInlineHandler(ValidateTokenRequestAsync));
                options.AddEventHandler<OpenIddictServerEvents.HandleTokenRequestContext>(b => b.UseInlineHandler(HandleTokenRequestAsync));
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                // The Authorization header only: a token in a URL ends up in logs and histories (BearerAuthentication).
                options.UseAspNetCore().DisableAccessTokenExtractionFromQueryString().DisableAccessTokenExtractionFromBodyForm();
            });
        services.AddSingleton<ValidatedTokens>();

        // Validated tokens are kept (BearerAuthentication); OpenIddict validates the others.
        services.AddAuthentication(BearerAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthentication>(BearerAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(AccessExtensions.PolicyName, policy => policy
            .AddAuthenticationSchemes(BearerAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(new AccessRequirement()));
        services.AddScoped<IAuthorizationHandler, AccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddHttpContextAccessor();
        services.AddScoped<ICallerAccessor, HttpCallerAccessor>();
        return services;
    }

    private static TimeSpan AccessTokenLifetime(IConfiguration configuration)
    {
        var minutes = configuration.GetValue("Auth:AccessTokenLifetimeMinutes", 15);
        if (minutes is < 1 or > 15)
        {
            throw new StartupConfigurationException("Auth:AccessTokenLifetimeMinutes must be between 1 and 15: access tokens live at most 15 minutes.");
        }
        return TimeSpan.FromMinutes(minutes);
    }

    private static async ValueTask ValidateTokenRequestAsync(OpenIddictServerEvents.ValidateTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType())
        {
            context.Reject(Errors.UnsupportedGrantType, "Only the client_credentials grant is supported.");
            return;
        }
        if (string.IsNullOrEmpty(context.ClientId) || string.IsNullOrEmpty(context.ClientSecret))
        {
            context.Reject(Errors.InvalidClient, "client_id and client_secret are required (client_secret_post or client_secret_basic).");
            return;
        }
        var services = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices;
        var client = await services.GetRequiredService<IClientDirectory>()
            .AuthenticateAsync(context.ClientId, context.ClientSecret, context.CancellationToken);
        // The access log names the client that asked (never its secret), authenticated or not.
        services.GetRequiredService<IAuditContext>().AuthenticatedAs(
            context.ClientId.Length <= 64 ? context.ClientId : context.ClientId[..64], client?.OrganisationId.ToString(), client?.Kind.ToKebab());
        if (client is null)
        {
            // Same answer for an unknown client, a wrong secret and a disabled client.
            context.Reject(Errors.InvalidClient, "The client credentials are invalid.");
            return;
        }
        var notHeld = context.Request.GetScopes().Except(client.Scopes, StringComparer.Ordinal).ToList();
        if (notHeld.Count > 0)
        {
            context.Reject(Errors.InvalidScope, $"This client does not hold the scope(s): {string.Join(' ', notHeld)}.");
            return;
        }
        context.Transaction.Properties[ClientProperty] = client;
    }

    private static ValueTask HandleTokenRequestAsync(OpenIddictServerEvents.HandleTokenRequestContext context)
    {
        var client = (AuthenticatedClient)context.Transaction.Properties[ClientProperty]!;
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId)
            .SetClaim(EtatMajorClaims.OrganisationId, client.OrganisationId.ToString())
            .SetClaim(EtatMajorClaims.OrganisationKind, client.Kind.ToKebab())
            .SetClaim(EtatMajorClaims.CredentialsVersion, client.CredentialsVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var requested = context.Request.GetScopes();
        // No scope asked: the token carries every scope the client holds.
        identity.SetScopes(requested.IsEmpty ? client.Scopes : requested);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        context.SignIn(new ClaimsPrincipal(identity));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Signing and encryption keys: configured certificates (required in Production, so that every instance
    /// behind a load balancer validates every token), or ephemeral keys in Development and tests.
    /// </summary>
    private sealed record SigningKeys(X509Certificate2? Signing, X509Certificate2? Encryption)
    {
        public bool Ephemeral => Signing is null;

        public static SigningKeys From(IConfiguration configuration, IHostEnvironment environment)
        {
            var signingPath = configuration["Auth:SigningCertificate:Path"];
            var encryptionPath = configuration["Auth:EncryptionCertificate:Path"];
            if (string.IsNullOrEmpty(signingPath) && string.IsNullOrEmpty(encryptionPath)
                && (environment.IsDevelopment() || environment.IsEnvironment("Testing")))
            {
                return new SigningKeys(null, null);
            }
            var missing = MissingProductionSettings(configuration, environment).ToList();
            if (missing.Count > 0 || string.IsNullOrEmpty(signingPath) || string.IsNullOrEmpty(encryptionPath))
            {
                throw new StartupConfigurationException("Set both Auth:SigningCertificate:Path and Auth:EncryptionCertificate:Path, or neither (Development only).");
            }
            return new SigningKeys(Load(configuration, "Auth:SigningCertificate", signingPath!), Load(configuration, "Auth:EncryptionCertificate", encryptionPath!));
        }

        private static X509Certificate2 Load(IConfiguration configuration, string section, string path)
        {
            try
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, configuration[$"{section}:Password"]);
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
            {
                throw new StartupConfigurationException($"{section}:Path '{path}' cannot be read as a PKCS#12 certificate with {section}:Password: {e.Message}");
            }
        }

        public void Apply(OpenIddictServerBuilder options)
        {
            if (Signing is null || Encryption is null)
            {
                options.AddEphemeralSigningKey().AddEphemeralEncryptionKey();
                return;
            }
            options.AddSigningCertificate(Signing).AddEncryptionCertificate(Encryption);
        }
    }
}
