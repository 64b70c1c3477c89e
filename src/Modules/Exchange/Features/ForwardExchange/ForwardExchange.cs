namespace EtatMajor.Modules.Exchange.Features.ForwardExchange;

/// <summary>What a recipient may forward: the exchange as it was received, read under the same access rule.</summary>
internal sealed record GetForwardable(Guid ExchangeId) : IQuery<Forwardable>, INotADisclosure;

internal sealed record Forwardable(Guid ExchangeId, Guid InstanceId, DisclosedContent Content, IReadOnlyList<Guid> AttachmentIds, DisclosureSubject? About = null);


internal sealed class GetForwardableHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetForwardable, Forwardable>
{
    internal static class Sql
    {
        public const string Attachments =
            $"SELECT {AttachmentRow.Columns}, content_id AS {nameof(AttachmentRow.ContentId)} FROM ex_attachments WHERE exchange_id = @Id ORDER BY position";
    }

    public async Task<Forwardable> Handle(GetForwardable request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var row = await ExchangeAccess.ReadableAsync(db, mediator, caller, request.ExchangeId, clock, cancellationToken);
        if (row.SenderOrganisationId == caller.OrganisationId)
        {
            throw new ForbiddenException("A forward is made by a recipient; the sender sends a new exchange.");
        }
        if (row.StatusValue != ExchangeStatus.Delivered)
        {
            throw new ConflictException("Only a delivered exchange is forwarded: this one awaits or failed its review.");
        }
        // The policy reads again what is forwarded (CONF-5): the contents, bounded by the attachment limits.
        var attachments = await db.QueryAsync<AttachmentRow>(Sql.Attachments, new { row.Id }, cancellationToken);
        var documents = new List<DisclosedDocument>(attachments.Count);
        foreach (var (attachment, i) in attachments.Select((a, i) => (a, i)))
        {
            documents.Add(new DisclosedDocument($"attachments[{i}]", attachment.FileName, attachment.DocumentKind, attachment.MediaType,
                await ContentStore.ReadAsync(db, attachment.ContentId, cancellationToken)));
        }
        var content = new DisclosedContent([new DisclosedText("subject", row.Subject), new DisclosedText("body", row.Body)], documents);
        return new Forwardable(row.Id, row.InstanceId, content, attachments.Select(a => a.Id).ToList(), row.About);
    }
}

internal sealed record ForwardBody(Guid[]? RecipientOrganisationIds);

/// <summary>CONF-5: a forward is an exchange, decided by the same rules for each new recipient.</summary>
internal sealed record ForwardExchange(Forwardable Original, Guid[]? Recipients) : ICommand<ExchangeDto>, IDisclosure
{
    public string Kind => DisclosureKinds.Forward;

    public Guid InstanceId => Original.InstanceId;

    /// <summary>A forward of an exchange about a designated person stays within its circle (CONF-1, CONF-5).</summary>
    public DisclosureSubject? Subject => Original.About;

    public IReadOnlyCollection<Guid> RecipientOrganisationIds => Recipients ?? [];

    public DisclosedContent Content => Original.Content;

    public bool MayBeHeld => true;
}

internal sealed class ForwardExchangeValidator : IValidator<ForwardExchange>
{
    public void Validate(ForwardExchange request, ValidationErrors errors) => Domain.Recipients.Validate("recipientOrganisationIds", request.Recipients, errors);
}

internal sealed class ForwardExchangeHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock, IPolicyOutcome outcome)
    : IRequestHandler<ForwardExchange, ExchangeDto>
{
    internal static class Sql
    {
        /// <summary>A forward carries the original's attachments: new attachment rows sharing the same stored contents, nothing copied.</summary>
        public const string CopyAttachment =
            "INSERT INTO ex_attachments (id, exchange_id, position, file_name, media_type, document_kind, size_bytes, sha256, content_id) " +
            "SELECT @NewId, @ExchangeId, position, file_name, media_type, document_kind, size_bytes, sha256, content_id FROM ex_attachments WHERE id = @Id";
    }

    public async Task<ExchangeDto> Handle(ForwardExchange request, CancellationToken cancellationToken)
    {
        var original = (await db.QuerySingleOrDefaultAsync<ExchangeRow>(ExchangeSql.One, new { Id = request.Original.ExchangeId }, cancellationToken))!;
        var id = Guid.CreateVersion7();
        var holds = outcome.Decision?.Held == true ? outcome.Decision.Holds : null;
        await db.ExecuteAsync(ExchangeSql.Insert, new
        {
            Id = id, original.InstanceId, SenderOrganisationId = callers.Required.OrganisationId, original.Subject, original.Body,
            ForwardedFromId = (Guid?)original.Id, SentAt = clock.Instant(),
            Status = (holds is null ? ExchangeStatus.Delivered : ExchangeStatus.HeldForReview).ToKebab(), HoldReasons = HoldReasons.Write(holds),
            original.DesignationId,
        }, cancellationToken);
        foreach (var recipient in request.RecipientOrganisationIds)
        {
            await db.ExecuteAsync(ExchangeSql.InsertRecipient, new { ExchangeId = id, OrganisationId = recipient }, cancellationToken);
        }
        foreach (var attachment in request.Original.AttachmentIds)
        {
            await db.ExecuteAsync(Sql.CopyAttachment, new { NewId = Guid.CreateVersion7(), ExchangeId = id, Id = attachment }, cancellationToken);
        }
        return await ExchangeAccess.ToDtoAsync(db, (await db.QuerySingleOrDefaultAsync<ExchangeRow>(ExchangeSql.One, new { Id = id }, cancellationToken))!,
            callers.Required.OrganisationId, cancellationToken);
    }
}

internal static class ForwardExchangeEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/exchanges/{eid:guid}/forward", async (Guid eid, ForwardBody body, IMediator mediator, CancellationToken ct) =>
            {
                var original = await mediator.Send(new GetForwardable(eid), ct);
                var forwarded = await mediator.Send(new ForwardExchange(original, body.RecipientOrganisationIds), ct);
                return SendExchange.Delivery.Result(forwarded);
            })
            .WithName("ForwardExchange")
            .Audit("exchange.forward", AuditOperation.Communication, "exchange", null, related: "eid")
            .StoresPersonalData().RequireJustification()
            .WithSummary("A recipient forwards an exchange to other members: the same rules apply to every new recipient (CONF-5)")
            .Produces<ExchangeDto>(StatusCodes.Status201Created)
            .Produces<ExchangeDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Exchange);
}
