namespace EtatMajor.Modules.PenalPolicy.Features.DownloadSynthesisAttachment;

/// <summary>`Position` as the route gives it: anything but the number of one of the synthesis's attachments is 404.</summary>
internal sealed record DownloadSynthesisAttachment(Guid InstanceId, Guid SynthesisId, string Position) : IQuery<SynthesisAttachmentFile>, INotADisclosure;

internal sealed record SynthesisAttachmentFile(SynthesisAttachmentDto Attachment, byte[] Content);

/// <summary>An attachment of a synthesis delivered to the instance, for the same readers as the synthesis (a few MiB at most: read whole).</summary>
internal sealed class DownloadSynthesisAttachmentHandler(PenalPolicyAccess access, IDbSession db) : IRequestHandler<DownloadSynthesisAttachment, SynthesisAttachmentFile>
{
    internal static class Sql
    {
        public const string DeliveredTo = "SELECT COUNT(*) FROM pp_synthesis_deliveries WHERE synthesis_id = @SynthesisId AND instance_id = @InstanceId";
    }

    public async Task<SynthesisAttachmentFile> Handle(DownloadSynthesisAttachment request, CancellationToken cancellationToken)
    {
        await access.ReaderOfDeliveriesAsync(request.InstanceId, cancellationToken);
        if (await db.QuerySingleOrDefaultAsync<long>(Sql.DeliveredTo, new { request.SynthesisId, request.InstanceId }, cancellationToken) == 0)
        {
            throw new NotFoundException("No such synthesis in this instance.");
        }
        var rows = await db.QueryAsync<AttachmentRow>(SynthesisSql.Attachments, new { Ids = SqlLists.Ids([request.SynthesisId]) }, cancellationToken);
        var row = rows.FirstOrDefault(a => a.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) == request.Position)
            ?? throw new NotFoundException("No such attachment.");
        var content = await db.QuerySingleOrDefaultAsync<byte[]>(SynthesisSql.Content, new { request.SynthesisId, row.Position }, cancellationToken);
        return new SynthesisAttachmentFile(
            new SynthesisAttachmentDto((int)row.Position, row.FileName, row.MediaType, row.DocumentKind, row.SizeBytes, row.Sha256), content!);
    }
}

internal static class DownloadSynthesisAttachmentEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/penal-policy-syntheses/{sid:guid}/attachments/{position}",
                async (Guid id, Guid sid, string position, IMediator mediator, HttpContext http, CancellationToken ct) =>
                {
                    var file = await mediator.Send(new DownloadSynthesisAttachment(id, sid, position), ct);
                    // The declared type was checked against the content at the door; every answer says nosniff (Api/Http/Perimeter.cs).
                    return Results.File(file.Content, file.Attachment.MediaType, file.Attachment.FileName);
                })
            .WithName("DownloadPenalPolicySynthesisAttachment")
            .Audit("penal-policy-synthesis.attachment", AuditOperation.Consultation, "penal-policy-synthesis", "sid", related: "id")
            .PersonalData().RequireJustification()
            .WithSummary("Download an attachment of a synthesis delivered to the instance (same readers as the synthesis)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowPenalPolicy();
}
