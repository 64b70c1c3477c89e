namespace EtatMajor.SharedKernel.Identity;

/// <summary>
/// Who calls: the OAuth2 client, its organisation and kind, the scopes granted to the token, and the
/// agent the integrating software says is acting (X-On-Behalf-Of), for the access log.
/// </summary>
public sealed record Caller(
    string ClientId,
    Guid OrganisationId,
    OrganisationKind Kind,
    IReadOnlySet<string> Scopes,
    string? OnBehalfOf)
{
    public bool HasScope(string scope) => Scopes.Contains(scope);

    /// <summary>An administrator sees every instance, to set the house up; never the log (LOG-2).</summary>
    public bool IsAdministrator => Kind == OrganisationKind.Administrateur && HasScope(Identity.Scopes.Admin);
}

/// <summary>The caller of the current request; throws when the request is anonymous.</summary>
public interface ICallerAccessor
{
    Caller? Current { get; }

    Caller Required => Current ?? throw new InvalidOperationException("This request has no authenticated caller.");
}
