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
/// type of resource, and the route value that holds its id. Declared on every /api endpoint, so that even a
/// request refused before its handler (401, 403) is recorded under the right action.
/// </summary>
public sealed record AuditAction(string Action, AuditOperation Operation, string ResourceType, string? ResourceIdRouteValue = "id");

/// <summary>Marks an endpoint that streams its response: it commits its audit record itself before the first byte.</summary>
public sealed record StreamsResponse;

public static class AuditExtensions
{
    public static TBuilder Audit<TBuilder>(this TBuilder builder, string action, AuditOperation operation, string resourceType,
        string? resourceIdRouteValue = "id") where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditAction(action, operation, resourceType, resourceIdRouteValue));
}

/// <summary>
/// What the handling of the current request adds to its audit record (the id of a created resource, the
/// recipients of a communication, the rule of a denial). Scoped to the request.
/// </summary>
public interface IAuditContext
{
    string? ResourceId { get; set; }

    IReadOnlyCollection<Guid>? Recipients { get; set; }

    string? RuleId { get; set; }

    /// <summary>For the token endpoint, where no access token names the caller yet: the client that asked.</summary>
    void AuthenticatedAs(string clientId, string? organisationId, string? kind);

    /// <summary>For a streamed response: make the record durable now, before the first byte (throws when it cannot).</summary>
    Task CommitBeforeStreamingAsync(int status, CancellationToken cancellationToken);
}

/// <summary>
/// A request that discloses information to organisations (an exchange, a forward, and later the follow-up
/// module's reports and relays). The policy step (Confidentiality) evaluates every such request before its
/// handler runs — the sender is the calling organisation — and the access log records its recipients.
/// </summary>
public interface IDisclosure
{
    Guid InstanceId { get; }

    IReadOnlyCollection<Guid> RecipientOrganisationIds { get; }

    /// <summary>What would travel: texts (subject, body…) and documents (attachments), for CONF-2.</summary>
    DisclosedContent Content { get; }

    /// <summary>A forward is an exchange to new recipients (CONF-5): the same rules apply to each of them.</summary>
    bool Forwarding => false;

    /// <summary>
    /// A dry run (`…/check`): the policy step records its decision for the handler instead of refusing, and
    /// nothing is stored or delivered.
    /// </summary>
    bool DryRun => false;
}

/// <summary>The content a disclosure carries. `Location` says where, for the denial ("body", "attachments[1]").</summary>
public sealed record DisclosedContent(IReadOnlyList<DisclosedText> Texts, IReadOnlyList<DisclosedDocument> Documents)
{
    public static DisclosedContent Empty { get; } = new([], []);
}

public sealed record DisclosedText(string Location, string Text);

public sealed record DisclosedDocument(string Location, string FileName, string DocumentKind, string MediaType, byte[] Content);
