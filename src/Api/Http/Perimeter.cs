using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;

namespace EtatMajor.Api.Http;

/// <summary>
/// What the API shows the network, in every environment and behind the TLS-terminating load balancer the architecture
/// plans for (issue 14, must-have 9; OWASP API8, security misconfiguration):
/// - `X-Forwarded-For` and `X-Forwarded-Proto` are believed only from the proxies named by `Proxy:KnownProxies`
///   (addresses) and `Proxy:KnownNetworks` (CIDR): a request forwarded as HTTPS by one of them is HTTPS (the token
///   endpoint accepts it, HSTS is sent); from anywhere else the headers are ignored. Nothing named: none believed.
/// - outside Development and Testing, HSTS, and plain HTTP redirected to HTTPS (`Proxy:HttpsPort`, 443), except the
///   health probes, which a load balancer sends in plain HTTP;
/// - no `Server` header; TRACE and TRACK → 405; no CORS unless `Cors:AllowedOrigins` names origins;
/// - `X-Content-Type-Options: nosniff` on every answer, a download or an export included.
/// </summary>
internal static class Perimeter
{
    public static void AddPerimeter(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel refuses what passes its own limits with an empty body and before the access log sees it (issue 14):
            // its limits are set above the API's, which the API enforces itself with a problem and a record
            // (HeaderRules). Only what passes these outer limits still gets Kestrel's bare answer.
            kestrel.Limits.MaxRequestHeadersTotalSize = HeaderRules.OuterHeadersBytes;
            kestrel.Limits.MaxRequestLineSize = HeaderRules.OuterRequestLineBytes;
            // Header bytes that are not UTF-8 become U+FFFD instead of a bare 400, and HeaderRules refuses them by name.
            kestrel.RequestHeaderEncodingSelector = static _ => HeaderRules.Lenient;
        });
        var proxies = Values(configuration, "Proxy:KnownProxies");
        var networks = Values(configuration, "Proxy:KnownNetworks");
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default: only what the operators name is trusted here.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new SharedKernel.StartupConfigurationException($"Proxy:KnownProxies: '{proxy}' is not an IP address."));
            }
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new SharedKernel.StartupConfigurationException($"Proxy:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8)."));
            }
        });
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
            // The framework leaves out localhost; an answer over HTTPS carries it wherever it comes from.
            options.ExcludedHosts.Clear();
        });
        builder.Services.AddHttpsRedirection(options =>
        {
            options.HttpsPort = configuration.GetValue("Proxy:HttpsPort", 443);
            options.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
        });
        var origins = Values(configuration, "Cors:AllowedOrigins");
        if (origins.Count > 0)
        {
            builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins([.. origins])
                .WithHeaders("Authorization", "Content-Type", "X-Justification", "X-On-Behalf-Of", "Idempotency-Key", "If-Match")
                .WithMethods("GET", "POST", "PUT", "DELETE").WithExposedHeaders("ETag", "Location", "Retry-After", "Idempotency-Replayed")));
        }
    }

    /// <summary>First of the pipeline: the request as the proxy saw it, and what every answer carries.</summary>
    public static void UsePerimeter(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use(static (context, next) =>
        {
            // Every answer, whatever ends it (a download, an export, a refusal): never sniffed by a browser into another type.
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
    }

    /// <summary>Inside the access log (so that these refusals and redirections are recorded): TRACE, HTTPS, CORS.</summary>
    public static void UseTransportRules(this WebApplication app)
    {
        app.UseMiddleware<HeaderRules>();
        app.Use(static async (context, next) =>
        {
            if (HttpMethods.IsTrace(context.Request.Method) || context.Request.Method.Equals("TRACK", StringComparison.OrdinalIgnoreCase))
            {
                // A request echoed back would show its headers (a token) to whatever script sent it (cross-site tracing).
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteProblemAsync(context, StatusCodes.Status405MethodNotAllowed,
                    ProblemSetup.DefaultType(405), "Method not allowed", "TRACE is not served.");
                return;
            }
            await next(context);
        });
        if (!app.Environment.IsDevelopment() && !app.Environment.IsEnvironment("Testing"))
        {
            app.UseHsts();
            app.UseWhen(static context => !context.Request.Path.StartsWithSegments("/health"), branch => branch.UseHttpsRedirection());
        }
        if (Values(app.Configuration, "Cors:AllowedOrigins").Count > 0)
        {
            app.UseCors();
        }
    }

    /// <summary>A list setting: an array (`Proxy:KnownNetworks:0`, …) or one comma-separated value.</summary>
    private static List<string> Values(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return values.Distinct(StringComparer.Ordinal).ToList();
    }
}

/// <summary>
/// The limits of a request's headers and target, enforced inside the access log so that a refusal is a problem and a
/// record (Kestrel's own refusals are an empty body, unrecorded): 431 above 32 KiB of headers, 414 above 8 KiB of
/// path and query, 400 naming a header that is not valid UTF-8 or carries a control character.
/// </summary>
internal sealed class HeaderRules(RequestDelegate next, IProblemDetailsService problems)
{
    public const int HeadersBytes = 32 * 1024;
    public const int OuterHeadersBytes = 256 * 1024;
    public const int RequestTargetBytes = 8 * 1024;
    public const int OuterRequestLineBytes = 64 * 1024;

    /// <summary>What no header carries: the control characters but the tab, and U+FFFD (bytes that were not UTF-8).</summary>
    private static readonly System.Buffers.SearchValues<char> Refused = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c != '\t').Select(c => (char)c), '\u007F', .. Enumerable.Range(0x80, 0x20).Select(c => (char)c), '\uFFFD']);

    /// <summary>UTF-8 that replaces what it cannot decode (U+FFFD) instead of throwing.</summary>
    public static readonly System.Text.Encoding Lenient = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var total = 0;
        string? invalid = null;
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                total += name.Length + (value?.Length ?? 0) + 4;
                if (invalid is null && value is not null && value.AsSpan().ContainsAny(Refused))
                {
                    invalid = name;
                }
            }
        }
        if (total > HeadersBytes)
        {
            await problems.WriteProblemAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, SharedKernel.Errors.ProblemTypes.HeadersTooLarge, "Request headers too large",
                $"The request's headers exceed {HeadersBytes / 1024} KiB.");
            return;
        }
        if ((request.Path.Value?.Length ?? 0) + request.QueryString.Value?.Length > RequestTargetBytes)
        {
            await problems.WriteProblemAsync(context, StatusCodes.Status414UriTooLong, SharedKernel.Errors.ProblemTypes.UriTooLong, "URI too long",
                $"The path and query exceed {RequestTargetBytes / 1024} KiB.");
            return;
        }
        if (invalid is not null)
        {
            await problems.WriteProblemAsync(context, StatusCodes.Status400BadRequest, SharedKernel.Errors.ProblemTypes.Validation, "Invalid request",
                "A header is not valid UTF-8 text, or carries a control character.",
                new Dictionary<string, string[]> { [invalid.Length <= 100 ? invalid : invalid[..100]] = ["is not valid UTF-8 text, or carries a control character"] });
            return;
        }
        await next(context);
    }

}
