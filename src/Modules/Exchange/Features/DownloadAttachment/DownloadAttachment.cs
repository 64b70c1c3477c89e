namespace EtatMajor.Modules.Exchange.Features.DownloadAttachment;

internal sealed record DownloadAttachment(Guid ExchangeId, Guid AttachmentId) : IQuery<AttachmentDownload>, INotADisclosure;

/// <summary>An attachment ready to stream: its description, and its content read from the database as it is sent.</summary>
internal sealed record AttachmentDownload(AttachmentRow Attachment, Stream Content);

internal sealed class DownloadAttachmentHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock)
    : IRequestHandler<DownloadAttachment, AttachmentDownload>
{
    internal static class Sql
    {
        public const string Attachment =
            $"SELECT {AttachmentRow.Columns}, content_id AS {nameof(AttachmentRow.ContentId)} FROM ex_attachments WHERE exchange_id = @ExchangeId AND id = @Id";
    }

    public async Task<AttachmentDownload> Handle(DownloadAttachment request, CancellationToken cancellationToken)
    {
        await ExchangeAccess.ReadableAsync(db, mediator, callers.Required, request.ExchangeId, clock, cancellationToken);
        var key = new { request.ExchangeId, Id = request.AttachmentId };
        var attachment = await db.QuerySingleOrDefaultAsync<AttachmentRow>(Sql.Attachment, key, cancellationToken)
            ?? throw new NotFoundException("No such attachment.");
        return new AttachmentDownload(attachment, await ContentStore.OpenAsync(db, attachment.ContentId, cancellationToken));
    }
}

internal static class DownloadAttachmentEndpoint
{
    /// <summary>
    /// The record is made durable before the first byte; the content is then copied from the database to the
    /// client in small buffers, so that a 10 MiB attachment never sits whole in memory.
    /// </summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/exchanges/{eid:guid}/attachments/{aid:guid}", async (Guid eid, Guid aid, IMediator mediator, IAuditContext audit, HttpContext http, CancellationToken ct) =>
            {
                var download = await mediator.Send(new DownloadAttachment(eid, aid), ct);
                await using var content = download.Content;
                await audit.CommitBeforeStreamingAsync(StatusCodes.Status200OK, ct);
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = download.Attachment.MediaType;
                http.Response.ContentLength = download.Attachment.SizeBytes;
                http.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = download.Attachment.FileName }.ToString();
                await content.CopyToAsync(http.Response.Body, 64 * 1024, ct);
            })
            .WithName("DownloadAttachment")
            .Audit("exchange.attachment", AuditOperation.Consultation, "attachment", "aid", related: "eid")
            .PersonalData().RequireJustification()
            .WithMetadata(new StreamsResponse())
            .WithSummary("Download an attachment (same access as the exchange)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Exchange);
}
