using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using EtatMajor.Api.Auth;
using EtatMajor.SharedKernel.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace EtatMajor.Api.Http;

/// <summary>
/// `RateLimiting:*` (issue 14, OWASP API4): how much one client, one client id at the token endpoint, and one address
/// may ask. Counted in each API process (several instances behind a load balancer each count their own share).
/// </summary>
internal sealed record RateLimitOptions(
    int ClientPermitsPerSecond, int ClientBurst, int TokenFailuresPerClientId, int TokenFailuresPerAddress, int TokenRequestsPerAddress, TimeSpan Window)
{
    public static RateLimitOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("RateLimiting");
        var options = new RateLimitOptions(
            ClientPermitsPerSecond: section.GetValue("PerClient:PermitsPerSecond", 100),
            ClientBurst: section.GetValue("PerClient:Burst", 200),
            TokenFailuresPerClientId: section.GetValue("Token:FailuresPerClientId", 10),
            TokenFailuresPerAddress: section.GetValue("Token:FailuresPerAddress", 30),
            TokenRequestsPerAddress: section.GetValue("Token:RequestsPerAddress", 300),
            Window: TimeSpan.FromSeconds(section.GetValue("Token:WindowSeconds", 60)));
        if (options.ClientPermitsPerSecond < 1 || options.ClientBurst < 1 || options.TokenFailuresPerClientId < 1 || options.TokenFailuresPerAddress < 1
            || options.TokenRequestsPerAddress < 1 || options.Window <= TimeSpan.Zero)
        {
            throw new SharedKernel.StartupConfigurationException("every RateLimiting setting must be a positive number.");
        }
        return options;
    }
}

/// <summary>
/// Attempts in a sliding window, per key (a client id, an address), on the application's clock. An attempt is taken
/// before the request runs (check and count in one step, under the key's lock: parallel guesses are all counted before
/// any of them is answered), and given back when it turns out not to count (a token request that succeeded).
/// </summary>
internal sealed class SlidingCounter(TimeSpan window, TimeProvider clock)
{
    /// <summary>Beyond this many keys, those with nothing in the window are dropped (a spray of random client ids stays bounded).</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, List<(DateTimeOffset At, long Ticket)>> attempts = new(StringComparer.Ordinal);
    private long tickets;
    private int keys;

    /// <summary>Counts an attempt, unless the key has reached <paramref name="limit"/>: then how long until one leaves the window.</summary>
    public (long Ticket, TimeSpan? RetryAfter) TryTake(string key, int limit)
    {
        var now = clock.GetUtcNow();
        var list = attempts.GetOrAdd(key, _ =>
        {
            Interlocked.Increment(ref keys);
            return [];
        });
        long ticket;
        lock (list)
        {
            list.RemoveAll(a => a.At <= now - window);
            if (list.Count >= limit)
            {
                return (0, list[0].At + window - now);
            }
            ticket = Interlocked.Increment(ref tickets);
            list.Add((now, ticket));
        }
        if (Volatile.Read(ref keys) > PruneAbove)
        {
            Prune(now);
        }
        return (ticket, null);
    }

    /// <summary>Gives an attempt back (it did not count: the request succeeded).</summary>
    public void GiveBack(string key, long ticket)
    {
        if (attempts.TryGetValue(key, out var list))
        {
            lock (list)
            {
                list.RemoveAll(a => a.Ticket == ticket);
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, list) in attempts)
        {
            lock (list)
            {
                list.RemoveAll(a => a.At <= now - window);
                if (list.Count == 0 && attempts.TryRemove(key, out _))
                {
                    Interlocked.Decrement(ref keys);
                }
            }
        }
    }
}

/// <summary>
/// The token endpoint, before OpenIddict answers it: an address that asked for more than
/// `RateLimiting:Token:RequestsPerAddress` tokens in the window, a client id with `Token:FailuresPerClientId` failed
/// attempts (10 by default), or an address with `Token:FailuresPerAddress` failed attempts (any client id: a spray)
/// gets 429 with Retry-After — even with the right secret, so that guessing stops, not just slows. An attempt counts as
/// a failure from the moment it arrives until it succeeds. Client ids are counted in one spelling (SQL Server compares
/// them without case); IPv6 addresses by their /64 (one host holds a whole /64). The 429 is recorded in the access log
/// like any answer of the token endpoint.
/// </summary>
internal sealed class TokenEndpointThrottle(RequestDelegate next, RateLimitOptions options, TimeProvider clock, IProblemDetailsService problems)
{
    private readonly SlidingCounter requestsByAddress = new(options.Window, clock);
    private readonly SlidingCounter failuresByClientId = new(options.Window, clock);
    private readonly SlidingCounter failuresByAddress = new(options.Window, clock);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!AuthSetup.IsTokenPath(context.Request.Path) || !HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }
        var address = AddressKey(context.Connection.RemoteIpAddress);
        var clientId = await ClientIdAsync(context.Request);
        var clientKey = clientId is null ? null : "client:" + clientId.Trim().ToLowerInvariant();

        var (addressFailure, addressWait) = failuresByAddress.TryTake(address, options.TokenFailuresPerAddress);
        var (clientFailure, clientWait) = clientKey is null || addressWait is not null ? (0, null) : failuresByClientId.TryTake(clientKey, options.TokenFailuresPerClientId);
        var (_, requestWait) = addressWait is not null || clientWait is not null ? (0, null) : requestsByAddress.TryTake(address, options.TokenRequestsPerAddress);
        if ((addressWait ?? clientWait ?? requestWait) is { } retryAfter)
        {
            failuresByAddress.GiveBack(address, addressFailure);
            if (clientKey is not null)
            {
                failuresByClientId.GiveBack(clientKey, clientFailure);
            }
            if (clientId is not null)
            {
                // As for any answer of the token endpoint, the record names the client id asked for (never a secret).
                context.RequestServices.GetRequiredService<SharedKernel.Auditing.IAuditContext>().AuthenticatedAs(
                    clientId.Length <= 64 ? clientId : clientId[..64], null, null);
            }
            await RateLimitProblem.WriteAsync(context, problems, retryAfter,
                "Too many token requests, or failed attempts, from this address or for this client id: wait before trying again.");
            return;
        }
        await next(context);
        if (context.Response.StatusCode < 400)
        {
            failuresByAddress.GiveBack(address, addressFailure);
            if (clientKey is not null)
            {
                failuresByClientId.GiveBack(clientKey, clientFailure);
            }
        }
    }

    /// <summary>An IPv4 address as it is; an IPv6 address by its /64.</summary>
    private static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "ip:none";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return "ip:" + address;
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return "ip6:" + new IPAddress(bytes) + "/64";
    }

    /// <summary>The client id the request names: HTTP Basic (RFC 6749 §2.3.1, form-encoded) or the form's client_id.</summary>
    private static async Task<string?> ClientIdAsync(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return Bounded(Uri.UnescapeDataString((colon < 0 ? decoded : decoded[..colon]).Replace('+', ' ')));
            }
            catch (FormatException)
            {
                return null;
            }
        }
        if (!request.HasFormContentType)
        {
            return null;
        }
        try
        {
            return Bounded((await request.ReadFormAsync(request.HttpContext.RequestAborted))["client_id"].ToString());
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            // A malformed form: OpenIddict refuses it; it counts as a failure of the address only.
            return null;
        }
    }

    private static string? Bounded(string value) => value.Length is > 0 and <= 200 ? value : null;
}

/// <summary>The answer of every limit: 429, problem+json, Retry-After in whole seconds.</summary>
internal static class RateLimitProblem
{
    public static Task WriteAsync(HttpContext context, IProblemDetailsService problems, TimeSpan retryAfter, string detail)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return problems.WriteProblemAsync(context, StatusCodes.Status429TooManyRequests, ProblemTypes.TooManyRequests, "Too many requests", detail);
    }
}

internal static class RateLimitRegistration
{
    /// <summary>
    /// Per client (after authentication): a token bucket of `RateLimiting:PerClient:Burst` requests refilled at
    /// `PermitsPerSecond`; an anonymous request counts against its address. 429 with Retry-After, never the
    /// framework's default 503. The health probes are not limited.
    /// </summary>
    public static IServiceCollection AddEtatMajorRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = RateLimitOptions.From(configuration);
        services.AddSingleton(options);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.Request.Path.StartsWithSegments("/health"))
                {
                    return RateLimitPartition.GetNoLimiter("health");
                }
                var key = context.User.Identity?.IsAuthenticated == true && context.User.FindFirst(OpenIddict.Abstractions.OpenIddictConstants.Claims.Subject)?.Value is { } client
                    ? "client:" + client
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.ClientBurst, TokensPerPeriod = options.ClientPermitsPerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0, AutoReplenishment = true,
                });
            });
            limiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                RateLimitHeadersMiddleware.Write(rejected.HttpContext.Response, options, remaining: 0, retryAfter);
                var problems = rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                return new ValueTask(RateLimitProblem.WriteAsync(rejected.HttpContext, problems, retryAfter,
                    "Too many requests from this client: wait before sending more."));
            };
        });
        return services;
    }
}

/// <summary>
/// Issue 15: every answer (but the health probes') says where its client stands — its address's bucket when no token
/// names it, and so a refusal made before the limiter runs (a disabled client's 401, an oversized body's 413) too (the IETF draft's fields,
/// draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "client";q=PERMITS;w=1` — the refill per second — and
/// `RateLimit: "client";r=REMAINING;t=SECONDS`, the requests the client may still send at once (its bucket holds up to
/// `RateLimiting:PerClient:Burst`) and when the next permits come (0 when the bucket is full). An integrator slows
/// down before a 429 (which carries `Retry-After`). Counted per API process, as the limiter is.
/// </summary>
internal sealed class RateLimitHeadersMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<RateLimiterOptions> limiter, RateLimitOptions options)
{
    public const string Policy = "RateLimit-Policy";
    public const string State = "RateLimit";

    public Task InvokeAsync(HttpContext context)
    {
        if (limiter.Value.GlobalLimiter is { } global && !context.Request.Path.StartsWithSegments("/health"))
        {
            context.Response.OnStarting(() =>
            {
                var remaining = global.GetStatistics(context)?.CurrentAvailablePermits ?? 0;
                Write(context.Response, options, remaining, remaining >= options.ClientBurst ? TimeSpan.Zero : TimeSpan.FromSeconds(1));
                return Task.CompletedTask;
            });
        }
        return next(context);
    }

    /// <summary>The two fields; a 429 says r=0 and, in t, the seconds of its Retry-After.</summary>
    public static void Write(HttpResponse response, RateLimitOptions options, long remaining, TimeSpan next)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        response.Headers[Policy] = string.Create(inv, $"\"client\";q={options.ClientPermitsPerSecond};w=1");
        response.Headers[State] = string.Create(inv, $"\"client\";r={remaining};t={(long)Math.Ceiling(next.TotalSeconds)}");
    }
}
