using EtatMajor.SharedKernel.Errors;
using Microsoft.AspNetCore.Http;

namespace EtatMajor.SharedKernel.Http;

/// <summary>A resource that can be updated: its strong entity tag, from its version (`"v3"`).</summary>
public interface IVersionedResource
{
    string ETag { get; }
}

/// <summary>
/// The one mechanism of optimistic concurrency (RFC 9110 §13.1.1, issue 14): a versioned resource answers with a strong
/// `ETag` (the endpoint's `.Versioned()` or `.ETagged()` sets the header from the resource it returns); an update
/// requires `If-Match` (428 without, by the endpoint requirements) and its handler checks it against the current
/// version with <see cref="Require"/> (412 when stale), then updates only that version (`… AND version = @Version`).
/// </summary>
public static class EntityTags
{
    public static string Of(int version) => $"\"v{version}\"";

    /// <summary>Strong comparison: one of the listed tags is the current one; a weak tag never matches.</summary>
    public static bool Matches(string? ifMatch, string current) =>
        !string.IsNullOrWhiteSpace(ifMatch)
        && ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(tag => tag == current);

    /// <summary>
    /// 412 unless If-Match names the current version. `*` (RFC 9110: any current version) is refused with 428: it names
    /// no version read, and so would overwrite a change made meanwhile, which is what the requirement is there to stop.
    /// </summary>
    public static void Require(string? ifMatch, int currentVersion, string what)
    {
        if (ifMatch?.Split(',', StringSplitOptions.TrimEntries).Contains("*") == true)
        {
            throw new PreconditionException(428, "If-Match: * names no version: send the ETag of the version you read.");
        }
        var current = Of(currentVersion);
        if (!Matches(ifMatch, current))
        {
            throw new PreconditionException(412, $"The {what} changed since you read it (now {current}): read it again, then retry with its ETag.");
        }
    }

    /// <summary>The endpoint filter of `.Versioned()` and `.ETagged()`: the ETag header of the versioned resource answered.</summary>
    public static async ValueTask<object?> SetHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var value = result is IValueHttpResult valued ? valued.Value : result;
        if (value is IVersionedResource resource && !context.HttpContext.Response.HasStarted)
        {
            context.HttpContext.Response.Headers.ETag = resource.ETag;
        }
        return result;
    }
}
