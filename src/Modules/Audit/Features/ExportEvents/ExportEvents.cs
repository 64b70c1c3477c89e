using System.Text;
using System.Text.Json;

namespace EtatMajor.Modules.Audit.Features.ExportEvents;

/// <summary>An export, ready to stream: the records of the filter, then the checkpoints that cover them.</summary>
internal sealed record ExportEvents(EventQuery Query, string? Format) : IQuery<ExportStream>, INotADisclosure;

internal sealed class ExportEventsValidator : IValidator<ExportEvents>
{
    public void Validate(ExportEvents request, ValidationErrors errors)
    {
        EventFilter.Read(request.Query, errors);
        if (request.Format is not (null or "ndjson" or "csv"))
        {
            errors.Add("format", "ndjson or csv");
        }
    }
}

/// <summary>
/// An export filtered at most by time is contiguous: it covers every record from the first to the last seq
/// of the period (a request that started just before the period but committed inside it is included), so
/// the chain can be verified end to end. Any other filter gives a selection whose records are checked one by one.
/// </summary>
internal sealed class ExportStream(IDbSession db, EventFilter filter, bool csv)
{
    public bool Csv => csv;

    internal static class Sql
    {
        // Plain bounds (an absent one is "" or "9999"), so that the occurredAt index gives the period's range: with
        // `@From IS NULL OR …` the database read every record of the log for the export of one month.
        public const string Period =
            $"SELECT MIN(seq) AS {nameof(SeqBounds.First)}, MAX(seq) AS {nameof(SeqBounds.Last)} FROM aud_events " +
            "WHERE occurred_at >= @AfterAt AND occurred_at < @ToAt";
    }

    public bool Contiguous => filter with { From = null, To = null } == EventFilter.None;

    /// <summary>Contiguous and without `to`: the export runs to the head of the log as it stood (checked against trusted checkpoints).</summary>
    public bool ToHead => Contiguous && filter.To is null;

    /// <summary>Contiguous and without `from`: the export starts where the log starts (after its purges, whose permits it carries).</summary>
    public bool FromStart => Contiguous && filter.From is null;

    /// <summary>The permit of the purge the export's first record follows, for the offline verifier (none when it starts at seq 1).</summary>
    public async Task<PurgePermit?> PermitBeforeAsync(long first, CancellationToken cancellationToken) =>
        first <= 1 ? null : (await db.QueryAsync<PurgePermit>(Anchors.Sql.Permit, new { Seq = first - 1, Take = 1 }, cancellationToken)).FirstOrDefault();

    public async IAsyncEnumerable<AuditRecord> Records([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Contiguous)
        {
            await foreach (var record in db.StreamAsync<AuditRecord>(EventSql.Filtered, filter.Parameters(0, 0), cancellationToken))
            {
                yield return record;
            }
            yield break;
        }
        var period = await db.QuerySingleOrDefaultAsync<SeqBounds>(Sql.Period, filter.Parameters(0, 0), cancellationToken);
        if (period?.First is not { } first || period.Last is not { } last)
        {
            yield break;
        }
        await foreach (var record in db.StreamAsync<AuditRecord>(EventSql.Range, new { FromSeq = first, ToSeq = last }, cancellationToken))
        {
            yield return record;
        }
    }

    public Task<IReadOnlyList<Checkpoint>> CoverAsync(long first, long last, CancellationToken cancellationToken) =>
        db.QueryAsync<Checkpoint>(CheckpointSql.Covering, new { FromSeq = first, ToSeq = last }, cancellationToken);
}

internal sealed class ExportEventsHandler(IDbSession db) : IRequestHandler<ExportEvents, ExportStream>
{
    public Task<ExportStream> Handle(ExportEvents request, CancellationToken cancellationToken) =>
        Task.FromResult(new ExportStream(db, EventFilter.Of(request.Query), request.Format == "csv"));
}

internal static class ExportEventsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit/events/export", ExportAsync)
            .WithName("ExportAuditEvents")
            .WithSummary("Export records and the checkpoints that cover them, streamed (format=ndjson|csv)")
            .WithDescription(Features.QueryEvents.QueryEventsEndpoint.FilterDescription + " Filtered by time only, the export is contiguous and verifiable offline.")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithMetadata(new StreamsResponse())
            .Audit("audit.export", AuditOperation.Consultation, "audit-log", null)
            .AllowAuditors();

    /// <summary>
    /// The record of the export is made durable before the first byte; the rows are then written as they are
    /// read (constant memory whatever the size).
    /// </summary>
    private static async Task ExportAsync(HttpContext http, [AsParameters] EventQuery query, string? format, IMediator mediator, IAuditContext audit,
        TimeProvider clock, CancellationToken ct)
    {
        var export = await mediator.Send(new ExportEvents(query, format), ct);
        var csv = export.Csv;

        await audit.CommitBeforeStreamingAsync(StatusCodes.Status200OK, ct);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"etatmajor-audit.{(csv ? "csv" : "ndjson")}\"";
        await WriteAsync(export, http.Response.Body, TypeHandlers.SqliteInstant(clock.Instant()), ct);
    }

    /// <summary>The export's lines, as they are read (constant memory): for the API's answer and for the command line.</summary>
    internal static async Task WriteAsync(ExportStream export, Stream output, string exportedAt, CancellationToken ct)
    {
        var csv = export.Csv;
        // CSV lines end with CRLF (RFC 4180), as the house's other CSV; NDJSON lines with LF.
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true) { NewLine = csv ? "\r\n" : "\n" };
        await writer.WriteLineAsync(csv ? ExportFormat.CsvHeader : ExportFormat.HeaderLine(export.Contiguous, export.ToHead, export.FromStart, exportedAt));
        long count = 0, first = 0, last = 0;
        await foreach (var record in export.Records(ct))
        {
            first = count == 0 ? record.Seq : first;
            last = record.Seq;
            count++;
            await writer.WriteLineAsync(csv ? ExportFormat.CsvEvent(record) : ExportFormat.EventLine(record));
        }
        var checkpoints = count == 0 ? [] : await export.CoverAsync(first, last, ct);
        foreach (var checkpoint in checkpoints)
        {
            await writer.WriteLineAsync(csv ? ExportFormat.CsvCheckpoint(checkpoint) : ExportFormat.CheckpointLine(checkpoint));
        }
        if (!csv)
        {
            if (export.FromStart && count > 0 && await export.PermitBeforeAsync(first, ct) is { } permit)
            {
                await writer.WriteLineAsync(ExportFormat.PurgeLine(permit));
            }
            await writer.WriteLineAsync(ExportFormat.EndLine(count, checkpoints.Count));
        }
    }
}

/// <summary>
/// The export formats. NDJSON (verifiable offline): a header line, one line per record (its canonical
/// members, then prevHash and hash), one line per covering checkpoint, and an end line with the counts.
/// CSV: one row per record or checkpoint, the first column saying which.
/// </summary>
internal static class ExportFormat
{
    public const string Version = "etatmajor-audit-export/1";

    public static string HeaderLine(bool contiguous, bool toHead, bool fromStart, string exportedAt) => Line(json =>
    {
        json.WriteString("type", "export");
        json.WriteString("format", Version);
        json.WriteBoolean("contiguous", contiguous);
        json.WriteBoolean("toHead", toHead);
        json.WriteBoolean("fromStart", fromStart);
        json.WriteString("exportedAt", exportedAt);
    });

    public static string EventLine(AuditRecord record)
    {
        var canonical = Encoding.UTF8.GetString(record.Canonical());
        // {"type":"event",<canonical members>,"prevHash":…,"hash":…}
        return "{\"type\":\"event\"," + canonical[1..^1] + ",\"prevHash\":\"" + record.PrevHash + "\",\"hash\":\"" + record.Hash + "\"}";
    }

    /// <summary>`{"type":"purge",<canonical members>,"signature":…}`: what the permit signs, then its signature.</summary>
    public static string PurgeLine(PurgePermit permit) =>
        Encoding.UTF8.GetString(permit.Canonical())[..^1] + ",\"signature\":\"" + permit.Signature + "\"}";

    public static string CheckpointLine(Checkpoint checkpoint)
    {
        var canonical = Encoding.UTF8.GetString(checkpoint.Canonical());
        return "{\"type\":\"checkpoint\"," + canonical[1..^1] + ",\"signature\":\"" + checkpoint.Signature + "\"}";
    }

    public static string EndLine(long records, long checkpoints) => Line(json =>
    {
        json.WriteString("type", "end");
        json.WriteNumber("records", records);
        json.WriteNumber("checkpoints", checkpoints);
    });

    public const string CsvHeader =
        "type,seq,id,occurredAt,clientId,organisationId,organisationKind,onBehalfOf,action,operation,resourceType,resourceId,relatedResourceId,recipients," +
        "justification,outcome,status,ruleId,route,traceId,durationMs,prevHash,hash,number,fromSeq,toSeq,count,headHash,createdAt,previousSignature,keyId,signature";

    public static string CsvEvent(AuditRecord r) => string.Join(',', new object?[]
    {
        "event", r.Seq, r.Id, r.OccurredAt, r.ClientId, r.OrganisationId, r.OrganisationKind, r.OnBehalfOf, r.Action, r.Operation, r.ResourceType,
        r.ResourceId, r.RelatedResourceId, r.Recipients, r.Justification, r.Outcome, r.Status, r.RuleId, r.Route, r.TraceId, r.DurationMs, r.PrevHash, r.Hash,
        null, null, null, null, null, null, null, null, null,
    }.Select(Csv));

    public static string CsvCheckpoint(Checkpoint c) => string.Join(',', new object?[]
    {
        "checkpoint", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        c.Number, c.FromSeq, c.ToSeq, c.Count, c.HeadHash, c.CreatedAt, c.PreviousSignature, c.KeyId, c.Signature,
    }.Select(Csv));

    /// <summary>
    /// The house's CSV cell: what an integrator typed (`X-On-Behalf-Of`, `X-Justification`, a client id offered at the
    /// token endpoint) and starts like a formula is prefixed with an apostrophe before it reaches a spreadsheet. The
    /// NDJSON export, the one that is verified, keeps every value as hashed.
    /// </summary>
    private static string Csv(object? value) => EtatMajor.SharedKernel.Http.Csv.Cell(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));

    private static string Line(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
