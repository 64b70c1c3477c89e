using EtatMajor.SharedKernel.Identity;
using Microsoft.AspNetCore.Builder;

namespace EtatMajor.SharedKernel.Http;

/// <summary>
/// One way an endpoint may be called: a scope the token must carry and, when listed, the organisation
/// kinds allowed. An endpoint lists one or more; any one that matches lets the request through to the
/// handler, which then does the object-level check (membership, co-chair…).
/// </summary>
public sealed record AccessRule(string Scope, IReadOnlyList<OrganisationKind> Kinds)
{
    public bool Allows(Caller caller) =>
        caller.HasScope(Scope) && (Kinds.Count == 0 || Kinds.Contains(caller.Kind));

    public override string ToString() =>
        Kinds.Count == 0 ? $"scope {Scope}" : $"scope {Scope} ({string.Join(", ", Kinds.Select(k => k.ToKebab()))})";
}

public static class AccessExtensions
{
    /// <summary>The authorization policy that evaluates the endpoint's <see cref="AccessRule"/>s.</summary>
    public const string PolicyName = "etatmajor-access";

    /// <summary>Declares a way to call this endpoint: a scope and, optionally, the organisation kinds allowed.</summary>
    public static TBuilder Allow<TBuilder>(this TBuilder builder, string scope, params OrganisationKind[] kinds)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new AccessRule(scope, kinds));
        builder.RequireAuthorization(PolicyName);
        return builder;
    }
}

/// <summary>The largest request body an endpoint accepts, when it differs from `Api:MaxRequestBodyBytes` (413 beyond).</summary>
public sealed record RequestBodyLimit(long Bytes);
