using EtatMajor.SharedKernel.Content;

namespace EtatMajor.Modules.Exchange.Features.SendExchange;

/// <summary>
/// Send: by the time the handler runs, the policy's content step has read the attachments, the staging step has
/// stored them in chunks outside the transaction, and the decision step has allowed the exchange inside it — or
/// decided to hold it for a procureur's review (CONF-2: a mention, content that cannot be read), in which case it
/// is stored undelivered.
/// </summary>
internal sealed record SendExchange(Guid InstanceId, ExchangeBody Draft) : ICommand<ExchangeDto>, IDisclosure, IStagesContent
{
    public string Kind => DisclosureKinds.Exchange;

    public DisclosureSubject? Subject => Draft.About;

    public IReadOnlyCollection<Guid> RecipientOrganisationIds => Draft.RecipientOrganisationIds ?? [];

    public DisclosedContent Content => Draft.Content();

    public IReadOnlyList<byte[]> ContentToStage => Draft.Decoded.Select(d => d!).ToList();

    public bool MayBeHeld => true;
}

internal sealed class SendExchangeValidator(ExchangeOptions options) : IValidator<SendExchange>
{
    public void Validate(SendExchange request, ValidationErrors errors) => request.Draft.Validate(options, errors);
}

internal sealed class SendExchangeHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock, StagedContents staged, IPolicyOutcome outcome)
    : IRequestHandler<SendExchange, ExchangeDto>
{
    internal static class Sql
    {
        public const string InsertAttachment =
            "INSERT INTO ex_attachments (id, exchange_id, position, file_name, media_type, document_kind, size_bytes, sha256, content_id) " +
            "VALUES (@Id, @ExchangeId, @Position, @FileName, @MediaType, @DocumentKind, @SizeBytes, @Sha256, @ContentId)";
    }

    public async Task<ExchangeDto> Handle(SendExchange request, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var sender = callers.Required.OrganisationId;
        var holds = outcome.Decision?.Held == true ? outcome.Decision.Holds : null;
        var status = holds is null ? ExchangeStatus.Delivered : ExchangeStatus.HeldForReview;
        var subject = request.Draft.Subject!.Trim();
        var sentAt = clock.Instant();
        var holdReasons = HoldReasons.Write(holds);
        await db.ExecuteAsync(ExchangeSql.Insert, new
        {
            Id = id, request.InstanceId, SenderOrganisationId = sender, Subject = subject, request.Draft.Body, ForwardedFromId = (Guid?)null,
            SentAt = sentAt, Status = status.ToKebab(), HoldReasons = holdReasons, request.Draft.DesignationId,
        }, cancellationToken);
        foreach (var recipient in request.RecipientOrganisationIds)
        {
            await db.ExecuteAsync(ExchangeSql.InsertRecipient, new { ExchangeId = id, OrganisationId = recipient }, cancellationToken);
        }
        var inputs = request.Draft.Attachments ?? [];
        await ContentStore.ClaimAsync(db, staged.Items, clock.Instant(), cancellationToken);
        var attachments = new List<AttachmentDto>(inputs.Length);
        for (var i = 0; i < inputs.Length; i++)
        {
            var content = staged.Items[i];
            var attachment = new AttachmentDto(Guid.CreateVersion7(), inputs[i].FileName!, inputs[i].MediaType!, inputs[i].DocumentKind!, content.SizeBytes, content.Sha256);
            await db.ExecuteAsync(Sql.InsertAttachment, new
            {
                attachment.Id, ExchangeId = id, Position = i, attachment.FileName, attachment.MediaType, attachment.DocumentKind,
                attachment.SizeBytes, attachment.Sha256, ContentId = content.Id,
            }, cancellationToken);
            attachments.Add(attachment);
        }
        // The answer is made of what was just written, not read back: fewer statements while the write lock is held
        // (issue 13). It is what a read gives the sender (ExchangeAccess.ToDtoAsync), recipients in the same order.
        return new ExchangeDto(id, request.InstanceId, sender, subject, request.Draft.Body!, ExchangeAccess.InRecipientOrder(request.RecipientOrganisationIds),
            attachments, null, sentAt, status, HoldReasons.Read(holdReasons), null, request.Draft.DesignationId);
    }
}

internal static class SendExchangeEndpoint
{
    public static void Map(IEndpointRouteBuilder app, RequestBodyLimit bodyLimit) =>
        app.MapPost("/api/v1/instances/{id:guid}/exchanges", async (Guid id, ExchangeBody body, IMediator mediator, CancellationToken ct) =>
            {
                var exchange = await mediator.Send(new SendExchange(id, body), ct);
                return Delivery.Result(exchange);
            })
            .WithName("SendExchange")
            .Audit("exchange.send", AuditOperation.Communication, "exchange", null, related: "id")
            .StoresPersonalData().RequireJustification()
            .WithMetadata(bodyLimit)
            .WithSummary("Send confidential information to members of the instance, decided first by the confidentiality policy (CONF-1..4): 201 delivered, 202 held for a procureur's review")
            .Produces<ExchangeDto>(StatusCodes.Status201Created)
            .Produces<ExchangeDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .Allow(Scopes.Exchange);
}

/// <summary>The answer to a send or a forward: 201 when delivered, 202 when held for review (the exchange exists, its recipients do not see it yet).</summary>
internal static class Delivery
{
    public static IResult Result(ExchangeDto exchange) => exchange.Status == ExchangeStatus.HeldForReview
        ? Results.Accepted($"/api/v1/exchanges/{exchange.Id}", exchange)
        : Results.Created($"/api/v1/exchanges/{exchange.Id}", exchange);
}
