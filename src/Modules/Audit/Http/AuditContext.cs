namespace EtatMajor.Modules.Audit.Http;

/// <summary>The audit record of the current request, as it takes shape (scoped to the request).</summary>
internal sealed class AuditContext(ICallerAccessor callers, GroupCommitWriter writer, RecordsInFlight inFlight, TimeProvider clock) : IAuditContext
{
    /// <summary>No disclosure has more (validation refuses it); a refused oversized list must not bloat the log.</summary>
    public const int MaxRecipients = 50;

    private HttpContext? http;
    private Action? streamFromNow;
    private Endpoint? endpoint;
    private RouteValueDictionary routeValues = [];
    private long startedAt;
    private DateTimeOffset occurredAt;
    private string? created;
    private string? targeted;
    private (string ClientId, string? OrganisationId, string? Kind)? authenticatedAs;

    public IReadOnlyCollection<Guid>? Recipients { get; set; }

    public string? RuleId { get; set; }

    /// <summary>True once the record is durable (a streamed response commits it before its first byte).</summary>
    public bool Committed { get; private set; }

    /// <summary>
    /// Taken before the rest of the pipeline runs: the exception handler clears the endpoint and the route
    /// values of a request whose handler threw, and the record of a denial still needs them.
    /// </summary>
    public void Start(HttpContext context, Action streamFromNow)
    {
        http = context;
        this.streamFromNow = streamFromNow;
        endpoint = context.GetEndpoint();
        routeValues = new RouteValueDictionary(context.Request.RouteValues);
        startedAt = clock.GetTimestamp();
        occurredAt = inFlight.Begin(this, clock.Instant);
    }

    /// <summary>The record is durable, or will not be written: pages of a period may pass its instant.</summary>
    public void Settled() => inFlight.End(this);

    public void Created(string resourceId) => created = resourceId;

    public string? CreatedResourceId => created;

    public void Targets(string resourceId) => targeted = resourceId;

    /// <summary>For the token endpoint, where no access token identifies the caller yet.</summary>
    public void AuthenticatedAs(string clientId, string? organisationId, string? kind) => authenticatedAs = (clientId, organisationId, kind);

    public async Task CommitBeforeStreamingAsync(int status, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(Build(status, fallback: null), cancellationToken);
        Committed = true;
        Settled();
        streamFromNow?.Invoke();
    }

    public AuditRecord Build(int status, AuditAction? fallback)
    {
        var context = http ?? throw new InvalidOperationException("The audit context was not started.");
        var action = endpoint?.Metadata.GetMetadata<AuditAction>() ?? fallback
            ?? new AuditAction("http.request", AuditOperation.Consultation, "route", null);
        var caller = callers.Current;
        // The one precedence of ICreatedResource: created, else targeted, else the declared route value(s), else (token endpoint) the client.
        var resourceId = created ?? targeted ?? RouteValues(action.ResourceIdRouteValue) ?? authenticatedAs?.ClientId;
        return new AuditRecord
        {
            Id = Guid.CreateVersion7(),
            OccurredAt = TypeHandlers.SqliteInstant(occurredAt),
            ClientId = caller?.ClientId ?? authenticatedAs?.ClientId,
            OrganisationId = caller?.OrganisationId.ToString() ?? authenticatedAs?.OrganisationId,
            OrganisationKind = caller?.Kind.ToKebab() ?? authenticatedAs?.Kind,
            OnBehalfOf = Bounded(context.Request.Headers[CallerHeaders.OnBehalfOf].ToString(), CallerHeaders.MaxOnBehalfOfLength),
            Action = action.Action,
            Operation = action.Operation.ToKebab(),
            ResourceType = action.ResourceType,
            ResourceId = Bounded(resourceId, 100),
            RelatedResourceId = Bounded(RouteValues(action.RelatedRouteValue), 100),
            Recipients = Recipients is { Count: > 0 } r ? string.Join(' ', r.Distinct().Order().Take(MaxRecipients)) : null,
            Justification = Bounded(context.Request.Headers[CallerHeaders.Justification].ToString(), CallerHeaders.MaxJustificationLength),
            Outcome = status switch { < 400 => "allowed", < 500 => "denied", _ => "failed" },
            Status = status,
            RuleId = RuleId,
            // The route template, never the raw URL (which may carry query values); a known unrouted path is fixed text.
            Route = Bounded((endpoint as RouteEndpoint)?.RoutePattern.RawText ?? (fallback is null ? null : context.Request.Path.Value), 300),
            TraceId = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier,
            DurationMs = (long)clock.GetElapsedTime(startedAt).TotalMilliseconds,
        };
    }

    /// <summary>The named route value(s), joined by '/'; a GUID in its canonical form (an auditor filters on one spelling).</summary>
    private string? RouteValues(string? names) =>
        names is null
            ? null
            : string.Join('/', names.Split(',')
                .Select(n => routeValues.GetValueOrDefault(n)?.ToString())
                .Where(v => v is not null)
                .Select(v => Guid.TryParse(v, out var id) ? id.ToString() : v)) is { Length: > 0 } joined ? joined : null;

    private static string? Bounded(string? value, int max) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= max ? value : value[..max];
}
