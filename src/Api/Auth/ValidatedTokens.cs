using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using Microsoft.AspNetCore;

namespace EtatMajor.Api.Auth;

/// <summary>
/// Access tokens already validated, kept until they expire, keyed by the SHA-256 of the whole token (no other token
/// reaches an entry). Checking an RS256 signature and running OpenIddict's validation pipeline was the largest CPU
/// cost of an audited read after the database (docs/performance.md); a token is immutable, so its first validation
/// holds until its expiry, read on the API's clock as OpenIddict reads it. What a cache must not change does not
/// change: a failure is never kept, the issuer the token was validated for is part of the key (a token validated
/// for one host is validated again for another), and the disabled-client check still runs on every request, after
/// it (CallerCheckMiddleware): a disabled client is refused at its very next request. A hit skips OpenIddict's
/// whole token sub-pipeline, including audience, presenter and token-entry checks: none is configured here; whoever
/// adds one must check it again on a hit, or stop keeping tokens.
/// </summary>
internal sealed class ValidatedTokens(TimeProvider clock)
{
    /// <summary>Bounded: past it, expired entries go, then everything (a cache miss only costs a validation).</summary>
    public const int MaxEntries = 10_000;

    private const string Hit = "etatmajor:validated-token-hit";

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt);

    private long hits;

    public int Count => entries.Count;

    /// <summary>Requests authenticated from a kept token (for the tests and the benchmark).</summary>
    public long Hits => Interlocked.Read(ref hits);

    /// <summary>Before OpenIddict validates the token: a token already validated and not expired gets its principal (a copy).</summary>
    public ClaimsPrincipal? Find(string issuer, string token)
    {
        var key = KeyOf(issuer, token);
        if (!entries.TryGetValue(key, out var entry))
        {
            return null;
        }
        if (entry.ExpiresAt > clock.GetUtcNow())
        {
            Interlocked.Increment(ref hits);
            return entry.Principal.Clone();
        }
        entries.TryRemove(key, out _);
        return null;
    }

    /// <summary>After OpenIddict validated it: kept until the token's own expiry.</summary>
    public void Keep(string issuer, string token, ClaimsPrincipal principal)
    {
        if (principal.GetExpirationDate() is not { } expires || expires <= clock.GetUtcNow())
        {
            return;
        }
        if (entries.Count >= MaxEntries)
        {
            Sweep();
        }
        entries[KeyOf(issuer, token)] = new Entry(principal.Clone(), expires);
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in entries)
        {
            if (entry.ExpiresAt <= now)
            {
                entries.TryRemove(key, out _);
            }
        }
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }
    }

    private static string KeyOf(string issuer, string token) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + token)));
}
