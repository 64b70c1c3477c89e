using EtatMajor.Modules.Confidentiality.Contracts;
using EtatMajor.Modules.Exchange.Domain;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;

namespace EtatMajor.Modules.Exchange.Features;

internal sealed record AttachmentDto(Guid Id, string FileName, string MediaType, string DocumentKind, long SizeBytes, string Sha256);

internal sealed record ExchangeDto(
    Guid Id, Guid InstanceId, Guid SenderOrganisationId, string Subject, string Body, IReadOnlyList<Guid> RecipientOrganisationIds,
    IReadOnlyList<AttachmentDto> Attachments, Guid? ForwardedFromId, DateTimeOffset SentAt);

internal sealed record ExchangeSummaryDto(
    Guid Id, string Subject, Guid SenderOrganisationId, string Direction, int AttachmentCount, Guid? ForwardedFromId, DateTimeOffset SentAt);

internal sealed class ExchangeRow
{
    public const string Columns =
        $"e.id AS {nameof(Id)}, e.instance_id AS {nameof(InstanceId)}, e.sender_organisation_id AS {nameof(SenderOrganisationId)}, " +
        $"e.subject AS {nameof(Subject)}, e.body AS {nameof(Body)}, e.forwarded_from_id AS {nameof(ForwardedFromId)}, e.sent_at AS {nameof(SentAt)}";

    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public Guid SenderOrganisationId { get; init; }
    public string Subject { get; init; } = "";
    public string Body { get; init; } = "";
    public Guid? ForwardedFromId { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public int AttachmentCount { get; init; }
}

internal sealed class AttachmentRow
{
    public const string Columns =
        $"id AS {nameof(Id)}, file_name AS {nameof(FileName)}, media_type AS {nameof(MediaType)}, document_kind AS {nameof(DocumentKind)}, " +
        $"size_bytes AS {nameof(SizeBytes)}, sha256 AS {nameof(Sha256)}";

    public Guid Id { get; init; }
    public string FileName { get; init; } = "";
    public string MediaType { get; init; } = "";
    public string DocumentKind { get; init; } = "";
    public long SizeBytes { get; init; }
    public string Sha256 { get; init; } = "";
    public byte[] Content { get; init; } = [];

    public AttachmentDto ToDto() => new(Id, FileName, MediaType, DocumentKind, SizeBytes, Sha256);
}

internal static class ExchangeSql
{
    public const string One = $"SELECT {ExchangeRow.Columns} FROM ex_exchanges e WHERE e.id = @Id";
    public const string Recipients = "SELECT organisation_id FROM ex_recipients WHERE exchange_id = @Id ORDER BY organisation_id";
    public const string IsRecipient = "SELECT COUNT(*) FROM ex_recipients WHERE exchange_id = @Id AND organisation_id = @OrganisationId";
    public const string Attachments = $"SELECT {AttachmentRow.Columns} FROM ex_attachments WHERE exchange_id = @Id ORDER BY position";
    public const string AttachmentsWithContent =
        $"SELECT {AttachmentRow.Columns}, content AS {nameof(AttachmentRow.Content)} FROM ex_attachments WHERE exchange_id = @Id ORDER BY position";
    public const string Attachment =
        $"SELECT {AttachmentRow.Columns}, content AS {nameof(AttachmentRow.Content)} FROM ex_attachments WHERE exchange_id = @ExchangeId AND id = @Id";

    /// <summary>The caller's exchanges in an instance, sent or received, newest first.</summary>
    public const string Page =
        $"SELECT {ExchangeRow.Columns}, (SELECT COUNT(*) FROM ex_attachments a WHERE a.exchange_id = e.id) AS {nameof(ExchangeRow.AttachmentCount)} " +
        "FROM ex_exchanges e WHERE e.instance_id = @InstanceId " +
        "AND (e.sender_organisation_id = @OrganisationId OR EXISTS (SELECT 1 FROM ex_recipients r WHERE r.exchange_id = e.id AND r.organisation_id = @OrganisationId)) " +
        "AND (@AfterAt IS NULL OR e.sent_at < @AfterAt OR (e.sent_at = @AfterAt AND e.id < @AfterId)) " +
        "ORDER BY e.sent_at DESC, e.id DESC LIMIT @Take";

    public const string Insert =
        "INSERT INTO ex_exchanges (id, instance_id, sender_organisation_id, subject, body, forwarded_from_id, sent_at) " +
        "VALUES (@Id, @InstanceId, @SenderOrganisationId, @Subject, @Body, @ForwardedFromId, @SentAt)";
    public const string InsertRecipient = "INSERT INTO ex_recipients (exchange_id, organisation_id) VALUES (@ExchangeId, @OrganisationId)";
    public const string InsertAttachment =
        "INSERT INTO ex_attachments (id, exchange_id, position, file_name, media_type, document_kind, size_bytes, sha256, content) " +
        "VALUES (@Id, @ExchangeId, @Position, @FileName, @MediaType, @DocumentKind, @SizeBytes, @Sha256, @Content)";

    /// <summary>A forward carries the original's attachments: copied in the database, never through memory.</summary>
    public const string CopyAttachment =
        "INSERT INTO ex_attachments (id, exchange_id, position, file_name, media_type, document_kind, size_bytes, sha256, content) " +
        "SELECT @NewId, @ExchangeId, position, file_name, media_type, document_kind, size_bytes, sha256, content FROM ex_attachments WHERE id = @Id";
}

/// <summary>
/// Who may read an exchange: its sender and its recipients, while each is a current member of the instance.
/// Anyone else — a removed member included — gets 404, as if it did not exist.
/// </summary>
internal static class ExchangeAccess
{
    public static async Task<ExchangeRow> ReadableAsync(IDbSession db, IMediator mediator, Caller caller, Guid id, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<ExchangeRow>(ExchangeSql.One, new { Id = id }, cancellationToken);
        var involved = row is not null && (row.SenderOrganisationId == caller.OrganisationId
            || await db.QuerySingleOrDefaultAsync<int>(ExchangeSql.IsRecipient, new { Id = id, caller.OrganisationId }, cancellationToken) > 0);
        if (row is null || !involved || !await IsMemberAsync(mediator, row.InstanceId, caller.OrganisationId, clock, cancellationToken))
        {
            throw new NotFoundException("No such exchange.");
        }
        return row;
    }

    public static async Task<bool> IsMemberAsync(IMediator mediator, Guid instanceId, Guid organisationId, TimeProvider clock, CancellationToken cancellationToken)
    {
        var memberships = await mediator.Send(new GetMemberships(instanceId, [organisationId], clock.GetUtcNow()), cancellationToken);
        return memberships?.Organisations[organisationId].IsMember == true;
    }

    public static async Task<ExchangeDto> ToDtoAsync(IDbSession db, ExchangeRow row, CancellationToken cancellationToken) =>
        new(row.Id, row.InstanceId, row.SenderOrganisationId, row.Subject, row.Body,
            await db.QueryAsync<Guid>(ExchangeSql.Recipients, new { row.Id }, cancellationToken),
            (await db.QueryAsync<AttachmentRow>(ExchangeSql.Attachments, new { row.Id }, cancellationToken)).Select(a => a.ToDto()).ToList(),
            row.ForwardedFromId, row.SentAt);
}

/// <summary>Send: the policy step has allowed it by the time the handler runs.</summary>
internal sealed record SendExchange(Guid InstanceId, ExchangeBody Draft) : ICommand<ExchangeDto>, IDisclosure
{
    public IReadOnlyCollection<Guid> RecipientOrganisationIds => Draft.RecipientOrganisationIds ?? [];

    public DisclosedContent Content => Draft.Content();
}

/// <summary>The same body as a send, decided but neither stored nor delivered.</summary>
internal sealed record CheckExchange(Guid InstanceId, ExchangeBody Draft) : IQuery<PolicyDecision>, IDisclosure
{
    public IReadOnlyCollection<Guid> RecipientOrganisationIds => Draft.RecipientOrganisationIds ?? [];

    public DisclosedContent Content => Draft.Content();

    public bool DryRun => true;
}

internal sealed class SendExchangeValidator(ExchangeOptions options) : IValidator<SendExchange>
{
    public void Validate(SendExchange request, ValidationErrors errors) => request.Draft.Validate(options, errors);
}

internal sealed class CheckExchangeValidator(ExchangeOptions options) : IValidator<CheckExchange>
{
    public void Validate(CheckExchange request, ValidationErrors errors) => request.Draft.Validate(options, errors);
}

internal sealed class SendExchangeHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<SendExchange, ExchangeDto>
{
    public async Task<ExchangeDto> Handle(SendExchange request, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(ExchangeSql.Insert, new
        {
            Id = id, request.InstanceId, SenderOrganisationId = callers.Required.OrganisationId, Subject = request.Draft.Subject!.Trim(),
            request.Draft.Body, ForwardedFromId = (Guid?)null, SentAt = clock.Instant(),
        }, cancellationToken);
        foreach (var recipient in request.RecipientOrganisationIds)
        {
            await db.ExecuteAsync(ExchangeSql.InsertRecipient, new { ExchangeId = id, OrganisationId = recipient }, cancellationToken);
        }
        var attachments = request.Draft.Attachments ?? [];
        for (var i = 0; i < attachments.Length; i++)
        {
            var content = request.Draft.Decoded[i]!;
            await db.ExecuteAsync(ExchangeSql.InsertAttachment, new
            {
                Id = Guid.CreateVersion7(), ExchangeId = id, Position = i, attachments[i].FileName, attachments[i].MediaType, attachments[i].DocumentKind,
                SizeBytes = (long)content.Length, Sha256 = Signatures.Sha256(content), Content = content,
            }, cancellationToken);
        }
        return await ExchangeAccess.ToDtoAsync(db, (await db.QuerySingleOrDefaultAsync<ExchangeRow>(ExchangeSql.One, new { Id = id }, cancellationToken))!, cancellationToken);
    }
}

internal sealed class CheckExchangeHandler(IPolicyOutcome outcome) : IRequestHandler<CheckExchange, PolicyDecision>
{
    public Task<PolicyDecision> Handle(CheckExchange request, CancellationToken cancellationToken) =>
        Task.FromResult(outcome.Decision ?? throw new InvalidOperationException("The policy step did not decide this check."));
}

internal sealed record ListExchanges(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<ExchangeSummaryDto>>;

internal sealed class ListExchangesValidator : IValidator<ListExchanges>
{
    public void Validate(ListExchanges request, ValidationErrors errors)
    {
        PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
    }
}

internal sealed class ListExchangesHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock)
    : IRequestHandler<ListExchanges, Page<ExchangeSummaryDto>>
{
    public async Task<Page<ExchangeSummaryDto>> Handle(ListExchanges request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        if (!await ExchangeAccess.IsMemberAsync(mediator, request.InstanceId, caller.OrganisationId, clock, cancellationToken))
        {
            throw new NotFoundException("No such instance.");
        }
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<ExchangeRow>(ExchangeSql.Page,
            new { request.InstanceId, caller.OrganisationId, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => new ExchangeSummaryDto(r.Id, r.Subject, r.SenderOrganisationId,
            r.SenderOrganisationId == caller.OrganisationId ? "sent" : "received", r.AttachmentCount, r.ForwardedFromId, r.SentAt)).ToList(),
            e => Keyset.Of(e.SentAt, e.Id));
    }
}

internal sealed record GetExchange(Guid ExchangeId) : IQuery<ExchangeDto>;

internal sealed class GetExchangeHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetExchange, ExchangeDto>
{
    public async Task<ExchangeDto> Handle(GetExchange request, CancellationToken cancellationToken) =>
        await ExchangeAccess.ToDtoAsync(db, await ExchangeAccess.ReadableAsync(db, mediator, callers.Required, request.ExchangeId, clock, cancellationToken), cancellationToken);
}

internal sealed record DownloadAttachment(Guid ExchangeId, Guid AttachmentId) : IQuery<AttachmentRow>;

internal sealed class DownloadAttachmentHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<DownloadAttachment, AttachmentRow>
{
    public async Task<AttachmentRow> Handle(DownloadAttachment request, CancellationToken cancellationToken)
    {
        await ExchangeAccess.ReadableAsync(db, mediator, callers.Required, request.ExchangeId, clock, cancellationToken);
        return await db.QuerySingleOrDefaultAsync<AttachmentRow>(ExchangeSql.Attachment, new { request.ExchangeId, Id = request.AttachmentId }, cancellationToken)
            ?? throw new NotFoundException("No such attachment.");
    }
}

/// <summary>What a recipient may forward: the exchange as it was received, read under the same access rule.</summary>
internal sealed record GetForwardable(Guid ExchangeId) : IQuery<Forwardable>;

internal sealed record Forwardable(Guid ExchangeId, Guid InstanceId, DisclosedContent Content, IReadOnlyList<Guid> AttachmentIds);

internal sealed class GetForwardableHandler(IDbSession db, IMediator mediator, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetForwardable, Forwardable>
{
    public async Task<Forwardable> Handle(GetForwardable request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var row = await ExchangeAccess.ReadableAsync(db, mediator, caller, request.ExchangeId, clock, cancellationToken);
        if (row.SenderOrganisationId == caller.OrganisationId)
        {
            throw new ForbiddenException("A forward is made by a recipient; the sender sends a new exchange.");
        }
        var attachments = await db.QueryAsync<AttachmentRow>(ExchangeSql.AttachmentsWithContent, new { row.Id }, cancellationToken);
        var content = new DisclosedContent(
            [new DisclosedText("subject", row.Subject), new DisclosedText("body", row.Body)],
            attachments.Select((a, i) => new DisclosedDocument($"attachments[{i}]", a.FileName, a.DocumentKind, a.MediaType, a.Content)).ToList());
        return new Forwardable(row.Id, row.InstanceId, content, attachments.Select(a => a.Id).ToList());
    }
}

internal sealed record ForwardBody(Guid[]? RecipientOrganisationIds);

/// <summary>CONF-5: a forward is an exchange, decided by the same rules for each new recipient.</summary>
internal sealed record ForwardExchange(Forwardable Original, Guid[]? Recipients) : ICommand<ExchangeDto>, IDisclosure
{
    public Guid InstanceId => Original.InstanceId;

    public IReadOnlyCollection<Guid> RecipientOrganisationIds => Recipients ?? [];

    public DisclosedContent Content => Original.Content;

    public bool Forwarding => true;
}

internal sealed class ForwardExchangeValidator : IValidator<ForwardExchange>
{
    public void Validate(ForwardExchange request, ValidationErrors errors) => Domain.Recipients.Validate("recipientOrganisationIds", request.Recipients, errors);
}

internal sealed class ForwardExchangeHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<ForwardExchange, ExchangeDto>
{
    public async Task<ExchangeDto> Handle(ForwardExchange request, CancellationToken cancellationToken)
    {
        var original = (await db.QuerySingleOrDefaultAsync<ExchangeRow>(ExchangeSql.One, new { Id = request.Original.ExchangeId }, cancellationToken))!;
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(ExchangeSql.Insert, new
        {
            Id = id, original.InstanceId, SenderOrganisationId = callers.Required.OrganisationId, original.Subject, original.Body,
            ForwardedFromId = (Guid?)original.Id, SentAt = clock.Instant(),
        }, cancellationToken);
        foreach (var recipient in request.RecipientOrganisationIds)
        {
            await db.ExecuteAsync(ExchangeSql.InsertRecipient, new { ExchangeId = id, OrganisationId = recipient }, cancellationToken);
        }
        foreach (var attachment in request.Original.AttachmentIds)
        {
            await db.ExecuteAsync(ExchangeSql.CopyAttachment, new { NewId = Guid.CreateVersion7(), ExchangeId = id, Id = attachment }, cancellationToken);
        }
        return await ExchangeAccess.ToDtoAsync(db, (await db.QuerySingleOrDefaultAsync<ExchangeRow>(ExchangeSql.One, new { Id = id }, cancellationToken))!, cancellationToken);
    }
}
