using EtatMajor.SharedKernel.Data;
using Microsoft.AspNetCore.Builder;

namespace EtatMajor.SharedKernel.Auditing;

/// <summary>The kinds of processing loi 78-17 art. 101 asks the log to trace (LOG-1), plus authentication.</summary>
public enum AuditOperation
{
    Collection,
    Modification,
    Consultation,
    Communication,
    Erasure,
    Authentication,
}

/// <summary>
/// What an endpoint does, for the access log: a stable action name (`instance.read`), the operation, the
/// type of resource, the route value(s) that name it ("id", or "id,organisationId" → "i/o") and the route
/// value of a related resource (the instance an exchange is sent in, the original of a forward). Declared on
/// every /api endpoint, so that even a request refused before its handler (401, 403) is recorded under the
/// right action.
/// </summary>
public sealed record AuditAction(string Action, AuditOperation Operation, string ResourceType, string? ResourceIdRouteValue = "id",
    string? RelatedRouteValue = null);

/// <summary>Marks an endpoint that streams its response: it makes its record durable itself, before the first byte.</summary>
public sealed record StreamsResponse;

public static class AuditExtensions
{
    public static TBuilder Audit<TBuilder>(this TBuilder builder, string action, AuditOperation operation, string resourceType,
        string? resourceIdRouteValue = "id", string? related = null) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditAction(action, operation, resourceType, resourceIdRouteValue, related));
}

/// <summary>
/// The answer of a command that created something names it. The record of a request names its resource in one
/// way, with one precedence:
/// 1. what the command created (its answer implements this);
/// 2. otherwise what the request names as its target (the request implements <see cref="ITargetsResource"/>:
///    a member added, "instance/organisation", recorded even when the addition is refused);
/// 3. otherwise the route value(s) the endpoint declares;
/// 4. at the token endpoint, which has no route value, the client that asked.
/// `relatedResourceId` is only ever the route value the endpoint declares as related (`.Audit(…, related: "eid")`):
/// a forward records the new exchange, related to the original; an exchange sent, related to its instance.
/// GUID route values are recorded in their canonical lowercase form, whatever case the URL used.
/// </summary>
public interface ICreatedResource
{
    string CreatedResourceId { get; }
}

/// <summary>A request that names the resource it acts on, beyond its route (precedence 2 of <see cref="ICreatedResource"/>).</summary>
public interface ITargetsResource
{
    string TargetResourceId { get; }
}

/// <summary>
/// What the handling of a request adds to its record, through the pipeline's audit step: the recipients of a
/// disclosure, the rule of a denial, what a command created. Scoped to the request; the record is built and
/// made durable by the access log, which owns the request's unit of work.
/// </summary>
public interface IAuditContext
{
    IReadOnlyCollection<Guid>? Recipients { get; set; }

    string? RuleId { get; set; }

    /// <summary>Precedence 1 of <see cref="ICreatedResource"/>.</summary>
    void Created(string resourceId);

    /// <summary>What the command created, once it has (kept with an idempotency key, for the record of a replay).</summary>
    string? CreatedResourceId { get; }

    /// <summary>Precedence 2 of <see cref="ICreatedResource"/>.</summary>
    void Targets(string resourceId);

    /// <summary>For the token endpoint, where no access token names the caller yet: the client that asked.</summary>
    void AuthenticatedAs(string clientId, string? organisationId, string? kind);

    /// <summary>For a streamed response: make the record durable now, before the first byte (throws when it cannot).</summary>
    Task CommitBeforeStreamingAsync(int status, CancellationToken cancellationToken);
}

/// <summary>
/// A record of what the system did by itself (a retention erasure, a deadline job), with no client behind it; or of what
/// an operator did at the machine, through the command line (<paramref name="Actor"/>: `operator:NAME`).
/// </summary>
public sealed record SystemRecord(string Action, AuditOperation Operation, string ResourceType, string ResourceId, string? RelatedResourceId = null,
    string? Actor = null);

/// <summary>
/// The access log, for background work: a system record written in the job's unit of work, so that the
/// erasure and its record commit together or not at all.
/// </summary>
public interface ISystemAccessLog
{
    IUnitOfWorkParticipant Record(SystemRecord record);
}
