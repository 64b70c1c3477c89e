namespace EtatMajor.Modules.Exchange.Domain;

internal sealed record AttachmentDto(Guid Id, string FileName, string MediaType, string DocumentKind, long SizeBytes, string Sha256);

internal sealed record ExchangeDto(
    Guid Id, Guid InstanceId, Guid SenderOrganisationId, string Subject, string Body, IReadOnlyList<Guid> RecipientOrganisationIds,
    IReadOnlyList<AttachmentDto> Attachments, Guid? ForwardedFromId, DateTimeOffset SentAt) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

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
    public Guid ContentId { get; init; }

    public AttachmentDto ToDto() => new(Id, FileName, MediaType, DocumentKind, SizeBytes, Sha256);
}

internal static class ExchangeSql
{
    public const string One = $"SELECT {ExchangeRow.Columns} FROM ex_exchanges e WHERE e.id = @Id";
    public const string Recipients = "SELECT organisation_id FROM ex_recipients WHERE exchange_id = @Id ORDER BY organisation_id";
    public const string IsRecipient = "SELECT COUNT(*) FROM ex_recipients WHERE exchange_id = @Id AND organisation_id = @OrganisationId";
    public const string Attachments = $"SELECT {AttachmentRow.Columns} FROM ex_attachments WHERE exchange_id = @Id ORDER BY position";

    public const string Insert =
        "INSERT INTO ex_exchanges (id, instance_id, sender_organisation_id, subject, body, forwarded_from_id, sent_at) " +
        "VALUES (@Id, @InstanceId, @SenderOrganisationId, @Subject, @Body, @ForwardedFromId, @SentAt)";
    public const string InsertRecipient = "INSERT INTO ex_recipients (exchange_id, organisation_id) VALUES (@ExchangeId, @OrganisationId)";
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
