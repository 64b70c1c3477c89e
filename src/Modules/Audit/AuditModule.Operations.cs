using EtatMajor.Modules.Audit.Features.ExportEvents;
using EtatMajor.Modules.Audit.Features.ListCheckpoints;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Modules.Audit;

/// <summary>
/// The access-log operations of the operator's command line (issue 15): the export and the checkpoints, as an auditor
/// gets them from `/api/v1/audit/…`, each recorded in the access log under the operator's name before anything is
/// shown (as the API records an export before its first byte). Problems are thrown as <see cref="ProblemException"/>s.
/// </summary>
public static partial class AuditModule
{
    /// <summary>
    /// The records of a period (`from` inclusive, `to` exclusive, RFC 3339; either may be absent), then the checkpoints
    /// that cover them, in the API's export format (ndjson, verifiable offline with `audit verify`, or csv).
    /// </summary>
    public static async Task ExportAsync(IServiceProvider scope, string actor, string? from, string? to, string? format, Stream output,
        CancellationToken cancellationToken)
    {
        var query = new EventQuery(from, to, null, null, null, null, null, null, null, null, null, null);
        var export = await scope.GetRequiredService<IMediator>().Send(new ExportEvents(query, format), cancellationToken);
        await OperatorActions.RecordAsync(scope, new SystemRecord("audit.export", AuditOperation.Consultation, "audit-log", from is null && to is null ? "*" : $"{from}..{to}", Actor: actor), cancellationToken);
        var now = scope.GetRequiredService<TimeProvider>().GetUtcNow();
        await ExportEventsEndpoint.WriteAsync(export, output, TypeHandlers.SqliteInstant(now), cancellationToken);
    }

    /// <summary>Every signed checkpoint, oldest first.</summary>
    public static Task<IReadOnlyList<object>> CheckpointsAsync(IServiceProvider scope, string actor, CancellationToken cancellationToken) =>
        OperatorActions.ConsultAllAsync(scope, (limit, cursor) => new ListCheckpoints(limit, cursor),
            new SystemRecord("audit.checkpoints", AuditOperation.Consultation, "audit-log", "*", Actor: actor), cancellationToken);
}
