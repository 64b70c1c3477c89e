
namespace EtatMajor.Modules.Governance.Contracts;

/// <summary>What the token endpoint learns about an authenticated client.</summary>
public sealed record AuthenticatedClient(string ClientId, Guid OrganisationId, OrganisationKind Kind, IReadOnlyList<string> Scopes, int CredentialsVersion);

/// <summary>
/// The clients registry, for the identity plumbing of the Api (token endpoint, per-request check that a
/// client is still enabled, bootstrap of the administrator). Not a business request: it does not go
/// through the mediator.
/// </summary>
public interface IClientDirectory
{
    /// <summary>The client if it exists, is enabled and the secret matches; otherwise null (without saying which).</summary>
    Task<AuthenticatedClient?> AuthenticateAsync(string clientId, string secret, CancellationToken cancellationToken);

    /// <summary>
    /// False once the client is disabled: its tokens are refused from the very next request. False too for a token
    /// issued under an older version of its credentials (<paramref name="credentialsVersion"/>, 0 for a token that
    /// carries none): the client was enabled again or its secret rotated since.
    /// </summary>
    Task<bool> IsEnabledAsync(string clientId, int credentialsVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the administrators' organisation and this admin client if absent; the secret follows the setting. Writes
    /// in the caller's unit of work, which the caller begins and commits.
    /// </summary>
    Task EnsureAdministratorAsync(string clientId, string secret, CancellationToken cancellationToken);
}
