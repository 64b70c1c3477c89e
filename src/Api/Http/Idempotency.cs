using System.Collections.Concurrent;
using System.Security.Cryptography;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace EtatMajor.Api.Http;

/// <summary>`Idempotency:ExpiryHours` (default 24): how long a client's key answers its retries with the first response.</summary>
internal sealed record IdempotencyOptions(TimeSpan Expiry)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    public static IdempotencyOptions From(IConfiguration configuration)
    {
        var hours = configuration.GetValue("Idempotency:ExpiryHours", 24.0);
        if (hours is <= 0 or > 24 * 30)
        {
            throw new SharedKernel.StartupConfigurationException("Idempotency:ExpiryHours must be more than 0 and at most 720 hours.");
        }
        return new IdempotencyOptions(TimeSpan.FromHours(hours));
    }
}

internal static class IdempotencyRegistration
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(IdempotencyOptions.From(configuration));
        services.AddSingleton<KeysInFlight>();
        services.AddIdempotencyKeys();
        return services;
    }
}

/// <summary>The keys of this process's requests still running: a concurrent duplicate is refused (409), not run twice.</summary>
internal sealed class KeysInFlight
{
    private readonly ConcurrentDictionary<string, object> keys = new(StringComparer.Ordinal);

    /// <summary>The key for this request, or null when another holds it; what is returned releases it, once.</summary>
    public IDisposable? TryTake(string scopedKey)
    {
        var held = new Held(this, scopedKey);
        return keys.TryAdd(scopedKey, held) ? held : null;
    }

    /// <summary>Only its own holding: released twice, it must not free the key of the retry that took it meanwhile.</summary>
    private sealed class Held(KeysInFlight owner, string scopedKey) : IDisposable
    {
        public void Dispose() => owner.keys.TryRemove(new KeyValuePair<string, object>(scopedKey, this));
    }
}

/// <summary>
/// Every authenticated POST accepts an `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header, conventions.md),
/// scoped to the client:
/// - the same key with the same request (method, path and query, content type, body) gets the stored first response
///   back, and nothing is done again (`Idempotency-Replayed: true`);
/// - the same key with another request → 422; the same key while the first is still running → 409;
/// - a key is spent only by a request that had an effect (a committed command, 2xx): the key's row is written by
///   the request's unit of work, in the one commit of the effect and its access-log record — a refused or failed
///   request leaves no key, and its retry is judged afresh.
/// Several API instances on one SQL Server: two duplicates running at once on two instances both reach the commit;
/// the key's primary key lets one commit, the other gets 503 with Retry-After and its retry gets the replay.
/// </summary>
internal sealed class IdempotencyMiddleware(
    RequestDelegate next, IdempotencyOptions options, KeysInFlight inFlight, TimeProvider clock, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context, ICallerAccessor callers, IDbSession db, UnitOfWork work, IAuditContext audit)
    {
        var header = context.Request.Headers[IdempotencyOptions.Header];
        if (header.Count == 0 || !HttpMethods.IsPost(context.Request.Method) || callers.Current is not { } caller)
        {
            await next(context);
            return;
        }
        if (Key(header) is not { } key)
        {
            await problems.WriteProblemAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.Validation, "Invalid request",
                $"{IdempotencyOptions.Header} must be one key of 1 to {IdempotencyOptions.MaxKeyLength} printable ASCII characters (a quoted string, or bare).",
                errors: new Dictionary<string, string[]>
                {
                    [IdempotencyOptions.Header] = [$"one key of 1 to {IdempotencyOptions.MaxKeyLength} printable ASCII characters"],
                });
            return;
        }
        var scoped = caller.ClientId + "\n" + key;
        if (inFlight.TryTake(scoped) is not { } held)
        {
            await problems.WriteProblemAsync(context, StatusCodes.Status409Conflict, ProblemTypes.IdempotencyKeyInFlight, "Request in flight",
                "A request with this Idempotency-Key is still being processed: retry once it has answered.");
            return;
        }
        // Released once the request's one commit is durable (it happens outside, in the access log), before the answer
        // is sent: the client's next retry finds the key's row, not the key in flight. Else when the response is over.
        context.Response.RegisterForDispose(held);

        var hash = await RequestHashAsync(context.Request);
        var now = clock.Instant();
        var stored = await IdempotencyKeys.FindAsync(db, caller.ClientId, key, now, context.RequestAborted);
        if (stored is not null)
        {
            if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(stored.RequestHash), Convert.FromHexString(hash)))
            {
                await problems.WriteProblemAsync(context, StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "Idempotency key reused",
                    "This Idempotency-Key was used for another request (another path or body): use a new key for a new request.");
                return;
            }
            if (stored.Body is null && context.GetEndpoint()?.Metadata.GetMetadata<SharedKernel.Http.SecretInAnswer>() is not null)
            {
                // Its answer held a secret shown once, which is not kept: say what was done, never the secret.
                if (stored.ResourceId is { } created)
                {
                    audit.Created(created);
                }
                await problems.WriteProblemAsync(context, StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Already done",
                    stored.ResourceId is { } resource
                        ? $"The request under this Idempotency-Key was done and created {resource}; its answer held a secret shown once, " +
                          "which is kept nowhere: if it was lost, disable that client and create another."
                        : "The request under this Idempotency-Key was done; its answer held a secret shown once, which is kept nowhere: " +
                          "if it was lost, make the request again under a new key (a rotation gives another secret).");
                return;
            }
            await ReplayAsync(context, stored, audit);
            return;
        }

        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var captured = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(captured));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(original);
        }
        var status = context.Response.StatusCode;
        if (work.Begun && status is >= 200 and < 300)
        {
            work.OnCommitted(held.Dispose);
            work.Enlist(IdempotencyKeys.Record(caller.ClientId, key, new StoredResponse
            {
                RequestHash = hash, Status = status,
                ContentType = Bounded(context.Response.ContentType, 200),
                Location = Bounded(context.Response.Headers.Location.ToString(), 2000),
                ETag = Bounded(context.Response.Headers.ETag.ToString(), 100),
                ResourceId = audit.CreatedResourceId,
                // A secret shown once is not kept, even here (CreateClient): the row says what was created, no more.
                Body = context.GetEndpoint()?.Metadata.GetMetadata<SharedKernel.Http.SecretInAnswer>() is null ? captured.ToArray() : null,
            }, now, now + options.Expiry));
        }
        captured.Position = 0;
        await captured.CopyToAsync(original.Stream, context.RequestAborted);
    }

    /// <summary>The key, from a structured-field string (`"…"`, as the draft writes it) or a bare token; null when invalid.</summary>
    internal static string? Key(Microsoft.Extensions.Primitives.StringValues header)
    {
        if (header.Count != 1 || header[0] is not { } raw)
        {
            return null;
        }
        var key = raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"' ? raw[1..^1] : raw;
        return key.Length is > 0 and <= IdempotencyOptions.MaxKeyLength && key.All(c => c is >= ' ' and <= '~') && !key.Contains('"') ? key : null;
    }

    /// <summary>The request as the key binds it: method, path and query, content type and body (the body is rewound for the endpoint).</summary>
    private static async Task<string> RequestHashAsync(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n{request.ContentType}\n"));
        request.EnableBuffering();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task ReplayAsync(HttpContext context, StoredResponse stored, IAuditContext audit)
    {
        if (stored.ResourceId is { } resourceId)
        {
            audit.Created(resourceId);
        }
        context.Response.StatusCode = stored.Status;
        context.Response.Headers["Idempotency-Replayed"] = "true";
        if (stored.ContentType is { Length: > 0 } type)
        {
            context.Response.ContentType = type;
        }
        if (stored.Location is { Length: > 0 } location)
        {
            context.Response.Headers.Location = location;
        }
        if (stored.ETag is { Length: > 0 } etag)
        {
            context.Response.Headers.ETag = etag;
        }
        if (stored.Body is { Length: > 0 } body)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static string? Bounded(string? value, int max) => string.IsNullOrEmpty(value) ? null : value.Length <= max ? value : null;
}
