using EtatMajor.Modules.Governance.Features.CreateClient;
using EtatMajor.Modules.Governance.Features.DisableClient;
using EtatMajor.Modules.Governance.Features.EnableClient;
using EtatMajor.Modules.Governance.Features.ListClients;
using EtatMajor.Modules.Governance.Features.RotateClientSecret;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Modules.Governance;

/// <summary>
/// The client operations of the operator's command line (issue 15): the same use cases as `/api/v1/clients`, through
/// the same pipeline (validation, one transaction), each recorded in the access log by the same commit as its effect,
/// under the operator's name (<see cref="SystemRecord.Actor"/>). The caller of <paramref name="scope"/> must already be
/// the operator (the host sets it). Problems are thrown as <see cref="ProblemException"/>s, as to the API.
/// </summary>
public static partial class GovernanceModule
{
    /// <summary>Every client, in pages of 500, optionally of one organisation or in one state; never a secret.</summary>
    public static Task<IReadOnlyList<object>> ListClientsAsync(IServiceProvider scope, string actor, Guid? organisationId, bool? enabled, CancellationToken cancellationToken) =>
        OperatorActions.ConsultAllAsync(scope, (limit, cursor) => new ListClients(organisationId, enabled, limit, cursor),
            new SystemRecord("client.list", AuditOperation.Consultation, "client", organisationId?.ToString() ?? "*", Actor: actor), cancellationToken);

    /// <summary>A new client; its secret is in the answer, once.</summary>
    public static Task<object> CreateClientAsync(IServiceProvider scope, string actor, Guid organisationId, string displayName, string[] scopes, CancellationToken cancellationToken) =>
        OperatorActions.CommandAsync(scope, new CreateClient(organisationId, displayName, scopes), created => new SystemRecord("client.create", AuditOperation.Collection, "client",
            created.ClientId, Actor: actor), cancellationToken);

    public static Task<object> DisableClientAsync(IServiceProvider scope, string actor, string clientId, CancellationToken cancellationToken) =>
        OperatorActions.CommandAsync(scope, new DisableClient(clientId), _ => new SystemRecord("client.disable", AuditOperation.Modification, "client", clientId, Actor: actor),
            cancellationToken);

    public static Task<object> EnableClientAsync(IServiceProvider scope, string actor, string clientId, CancellationToken cancellationToken) =>
        OperatorActions.CommandAsync(scope, new EnableClient(clientId), _ => new SystemRecord("client.enable", AuditOperation.Modification, "client", clientId, Actor: actor),
            cancellationToken);

    /// <summary>A new secret, in the answer, once; the client's earlier tokens are refused from their next request.</summary>
    public static Task<object> RotateClientSecretAsync(IServiceProvider scope, string actor, string clientId, CancellationToken cancellationToken) =>
        OperatorActions.CommandAsync(scope, new RotateClientSecret(clientId), _ => new SystemRecord("client.rotate-secret", AuditOperation.Modification, "client", clientId,
            Actor: actor), cancellationToken);
}
