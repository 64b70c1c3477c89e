using System.Text;
using EtatMajor.Modules.Audit.Domain;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Validation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EtatMajor.Modules.Audit.Features;

/// <summary>The auditors' API (LOG-2): scope `audit` and organisation kind `auditeur` only; every use is itself logged.</summary>
internal static class AuditEndpoints
{
    private static TBuilder AuditorsOnly<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.Audit, OrganisationKind.Auditeur);

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").WithTags("Access log");

        group.MapGet("/events", (HttpRequest http, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
            {
                var errors = new ValidationErrors();
                var filter = Filter(http, errors);
                var page = PageRequest.From(limit, cursor, errors, Keyset.IsNumber);
                errors.ThrowIfAny();
                return mediator.Send(new QueryEvents(filter, page), ct);
            })
            .WithName("QueryAuditEvents")
            .WithSummary("Records of the access log, filtered, in seq order (cursor pagination, limit ≤ 500)")
            .WithDescription(FilterDescription)
            .Produces<Page<AuditEventDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Audit("audit.query", AuditOperation.Consultation, "audit-log", null)
            .AuditorsOnly();

        group.MapGet("/events/export", ExportAsync)
            .WithName("ExportAuditEvents")
            .WithSummary("Export records and the checkpoints that cover them, streamed (format=ndjson|csv)")
            .WithDescription(FilterDescription + " Filtered by time only, the export is contiguous and verifiable offline.")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithMetadata(new StreamsResponse())
            .Audit("audit.export", AuditOperation.Consultation, "audit-log", null)
            .AuditorsOnly();

        group.MapGet("/integrity", (long? fromSeq, long? toSeq, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new CheckIntegrity(fromSeq, toSeq), ct))
            .WithName("CheckAuditIntegrity")
            .WithSummary("Recompute the hash chain and check the signed checkpoints over a range of seq")
            .Produces<VerificationResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Audit("audit.integrity", AuditOperation.Consultation, "audit-log", null)
            .AuditorsOnly();

        group.MapGet("/checkpoints", (int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
            {
                var errors = new ValidationErrors();
                var page = PageRequest.From(limit, cursor, errors, Keyset.IsNumber);
                errors.ThrowIfAny();
                return mediator.Send(new ListCheckpoints(page), ct);
            })
            .WithName("ListAuditCheckpoints")
            .WithSummary("The signed checkpoints, oldest first")
            .Produces<Page<Checkpoint>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Audit("audit.checkpoints", AuditOperation.Consultation, "audit-log", null)
            .AuditorsOnly();

        group.MapGet("/keys", (int? limit, string? cursor, IMediator mediator, CancellationToken ct) => mediator.Send(new ListKeys(limit, cursor), ct))
            .WithName("ListAuditKeys")
            .WithSummary("The public keys (PEM) that verify the checkpoints")
            .Produces<Page<KeyDto>>()
            .Audit("audit.keys", AuditOperation.Consultation, "audit-log", null)
            .AuditorsOnly();
    }

    private const string FilterDescription =
        "Filters: from (inclusive) and to (exclusive) ISO-8601 instants, clientId, organisationId, onBehalfOf, action, " +
        "operation (collection, modification, consultation, communication, erasure, authentication), outcome (allowed, denied, failed), " +
        "resourceType, resourceId, traceId.";

    private static EventFilter Filter(HttpRequest http, ValidationErrors errors)
    {
        string? Text(string name) => http.Query.TryGetValue(name, out var v) && v.Count > 0 && v[0] is { Length: > 0 } s ? s : null;
        Guid? organisationId = null;
        if (Text("organisationId") is { } org)
        {
            if (Guid.TryParse(org, out var parsed))
            {
                organisationId = parsed;
            }
            else
            {
                errors.Add("organisationId", "must be a GUID");
            }
        }
        return new EventFilter(
            EventFilter.ParseInstant(Text("from"), "from", errors), EventFilter.ParseInstant(Text("to"), "to", errors),
            Text("clientId"), organisationId, Text("onBehalfOf"), Text("action"), Text("operation"), Text("outcome"),
            Text("resourceType"), Text("resourceId"), Text("traceId"));
    }

    /// <summary>
    /// The record of the export is made durable before the first byte; the rows are then written as they are
    /// read (constant memory whatever the size).
    /// </summary>
    private static async Task ExportAsync(HttpContext http, string? format, IMediator mediator, IAuditContext audit, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var filter = Filter(http.Request, errors);
        var csv = format?.ToLowerInvariant() switch
        {
            null or "ndjson" => false,
            "csv" => true,
            _ => Invalid(errors),
        };
        errors.ThrowIfAny();
        var export = await mediator.Send(new ExportEvents(filter), ct);

        await audit.CommitBeforeStreamingAsync(StatusCodes.Status200OK, ct);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"etatmajor-audit.{(csv ? "csv" : "ndjson")}\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), bufferSize: 16 * 1024);
        await writer.WriteLineAsync(csv ? ExportFormat.CsvHeader : ExportFormat.HeaderLine(export.Contiguous, TypeHandlers.SqliteInstant(clock.Instant())));
        long count = 0, first = 0, last = 0;
        await foreach (var record in export.Records(ct))
        {
            first = count == 0 ? record.Seq : first;
            last = record.Seq;
            count++;
            await writer.WriteLineAsync(csv ? ExportFormat.CsvEvent(record) : ExportFormat.EventLine(record));
        }
        var (_, checkpoints) = count == 0 ? (null, []) : await export.CoverAsync(first, last, ct);
        foreach (var checkpoint in checkpoints)
        {
            await writer.WriteLineAsync(csv ? ExportFormat.CsvCheckpoint(checkpoint) : ExportFormat.CheckpointLine(checkpoint));
        }
        if (!csv)
        {
            await writer.WriteLineAsync(ExportFormat.EndLine(count, checkpoints.Count));
        }
    }

    private static bool Invalid(ValidationErrors errors)
    {
        errors.Add("format", "ndjson or csv");
        return false;
    }
}
