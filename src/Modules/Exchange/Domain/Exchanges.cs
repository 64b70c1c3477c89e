namespace EtatMajor.Modules.Exchange.Domain;

/// <summary>
/// Where an exchange stands (CONF-2, DATA-2): delivered to its recipients; held for the review of a procureur of the
/// instance (a mention of a piece of procedure, or content that cannot be read); rejected by him; or erased at the
/// end of its retention (a tombstone: nobody reads it any more).
/// </summary>
internal enum ExchangeStatus
{
    Delivered,
    HeldForReview,
    Rejected,
    Erased,
}

internal sealed record AttachmentDto(Guid Id, string FileName, string MediaType, string DocumentKind, long SizeBytes, string Sha256);

/// <summary>The review of a held exchange: who decided, when, and the reason of a rejection.</summary>
internal sealed record ReviewDto(Guid ReviewedByOrganisationId, DateTimeOffset ReviewedAt, string? RejectionReason);

/// <summary>
/// An exchange. `Holds` (why it was held) and `Review` are shown to its sender and to the procureurs who review it;
/// a recipient sees a delivered exchange only, without them.
/// </summary>
internal sealed record ExchangeDto(
    Guid Id, Guid InstanceId, Guid SenderOrganisationId, string Subject, string Body, IReadOnlyList<Guid> RecipientOrganisationIds,
    IReadOnlyList<AttachmentDto> Attachments, Guid? ForwardedFromId, DateTimeOffset SentAt, ExchangeStatus Status,
    IReadOnlyList<Violation>? Holds = null, ReviewDto? Review = null, Guid? DesignationId = null) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed class ExchangeRow
{
    public const string Columns =
        $"e.id AS {nameof(Id)}, e.instance_id AS {nameof(InstanceId)}, e.sender_organisation_id AS {nameof(SenderOrganisationId)}, " +
        $"e.subject AS {nameof(Subject)}, e.body AS {nameof(Body)}, e.forwarded_from_id AS {nameof(ForwardedFromId)}, e.sent_at AS {nameof(SentAt)}, " +
        $"e.status AS {nameof(Status)}, e.hold_reasons AS {nameof(HoldReasons)}, e.reviewed_by_organisation_id AS {nameof(ReviewedByOrganisationId)}, " +
        $"e.reviewed_at AS {nameof(ReviewedAt)}, e.rejection_reason AS {nameof(RejectionReason)}, e.designation_id AS {nameof(DesignationId)}";

    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public Guid SenderOrganisationId { get; init; }
    public string Subject { get; init; } = "";
    public string Body { get; init; } = "";
    public Guid? ForwardedFromId { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public string Status { get; init; } = "";
    public string? HoldReasons { get; init; }
    public Guid? ReviewedByOrganisationId { get; init; }
    public DateTimeOffset? ReviewedAt { get; init; }
    public string? RejectionReason { get; init; }
    public Guid? DesignationId { get; init; }
    public int AttachmentCount { get; init; }

    public ExchangeStatus StatusValue => Kebab.Parse<ExchangeStatus>(Status);

    public DisclosureSubject? About => DesignationId is { } id ? new DisclosureSubject(DisclosureSubject.Designation, id) : null;
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
    public const string Recipients = "SELECT organisation_id FROM ex_recipients WHERE exchange_id = @Id";
    public const string IsRecipient = "SELECT COUNT(*) FROM ex_recipients WHERE exchange_id = @Id AND organisation_id = @OrganisationId";
    public const string Attachments = $"SELECT {AttachmentRow.Columns} FROM ex_attachments WHERE exchange_id = @Id ORDER BY position";

    public const string Insert =
        "INSERT INTO ex_exchanges (id, instance_id, sender_organisation_id, subject, body, forwarded_from_id, sent_at, status, hold_reasons, designation_id) " +
        "VALUES (@Id, @InstanceId, @SenderOrganisationId, @Subject, @Body, @ForwardedFromId, @SentAt, @Status, @HoldReasons, @DesignationId)";
    public const string InsertRecipient = "INSERT INTO ex_recipients (exchange_id, organisation_id) VALUES (@ExchangeId, @OrganisationId)";
}

/// <summary>
/// Who may read an exchange, while each is a current member of the instance (for an exchange about a designated
/// person: while each is in the designation's circle — a co-chair or a currently assigned service, CONF-1): a delivered one, its sender and its
/// recipients; a held or rejected one, its sender and the procureurs co-chairing the instance, who review it (its
/// recipients learn nothing of it); and the procureur who reviewed it, what he decided on. An erased one, nobody.
/// Anyone else gets 404, as if it did not exist.
/// </summary>
internal static class ExchangeAccess
{
    public static async Task<ExchangeRow> ReadableAsync(IDbSession db, IMediator mediator, Caller caller, Guid id, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<ExchangeRow>(ExchangeSql.One, new { Id = id }, cancellationToken);
        if (row is null || row.StatusValue == ExchangeStatus.Erased)
        {
            throw new NotFoundException("No such exchange.");
        }
        var membership = await MembershipAsync(mediator, row.InstanceId, caller.OrganisationId, clock, cancellationToken);
        var involved = row.SenderOrganisationId == caller.OrganisationId || row.ReviewedByOrganisationId == caller.OrganisationId
            || (row.StatusValue == ExchangeStatus.Delivered
                ? await db.QuerySingleOrDefaultAsync<int>(ExchangeSql.IsRecipient, new { Id = id, caller.OrganisationId }, cancellationToken) > 0
                : IsReviewer(membership));
        if (!involved || !await EntitledAsync(mediator, row, caller.OrganisationId, membership, clock, cancellationToken))
        {
            throw new NotFoundException("No such exchange.");
        }
        return row;
    }

    /// <summary>CONF-1 at the reading: a current member, or for an exchange about a designated person, one of its circle now.</summary>
    public static async Task<bool> EntitledAsync(IMediator mediator, ExchangeRow row, Guid organisationId, MembershipStatus? membership, TimeProvider clock,
        CancellationToken cancellationToken) =>
        row.About is { } subject
            ? (await mediator.Send(new GetSubjectAudience(row.InstanceId, subject, clock.GetUtcNow()), cancellationToken))?.Contains(organisationId) == true
            : membership?.IsMember == true;

    public static async Task<MembershipStatus?> MembershipAsync(IMediator mediator, Guid instanceId, Guid organisationId, TimeProvider clock, CancellationToken cancellationToken)
    {
        var memberships = await mediator.Send(new GetMemberships(instanceId, [organisationId], clock.GetUtcNow()), cancellationToken);
        return memberships?.Organisations[organisationId];
    }

    public static async Task<bool> IsMemberAsync(IMediator mediator, Guid instanceId, Guid organisationId, TimeProvider clock, CancellationToken cancellationToken) =>
        (await MembershipAsync(mediator, instanceId, organisationId, clock, cancellationToken))?.IsMember == true;

    /// <summary>CONF-2: a held exchange is reviewed by a procureur co-chairing the instance.</summary>
    public static bool IsReviewer(MembershipStatus? membership) => membership is { IsMember: true, IsCoChair: true, Kind: OrganisationKind.Procureur };

    /// <summary>
    /// Recipients in one order whatever the database (SQL Server orders uniqueidentifier by its last bytes first): by
    /// their canonical text, so that a send's answer, built from what it wrote, lists them as a later read does.
    /// </summary>
    public static IReadOnlyList<Guid> InRecipientOrder(IEnumerable<Guid> recipients) =>
        recipients.OrderBy(id => id.ToString("D"), StringComparer.Ordinal).ToList();

    /// <summary>The exchange as the caller may see it: its sender and its reviewers also see why it was held and how it was reviewed.</summary>
    public static async Task<ExchangeDto> ToDtoAsync(IDbSession db, ExchangeRow row, Guid callerOrganisationId, CancellationToken cancellationToken)
    {
        var dto = new ExchangeDto(row.Id, row.InstanceId, row.SenderOrganisationId, row.Subject, row.Body,
            InRecipientOrder(await db.QueryAsync<Guid>(ExchangeSql.Recipients, new { row.Id }, cancellationToken)),
            (await db.QueryAsync<AttachmentRow>(ExchangeSql.Attachments, new { row.Id }, cancellationToken)).Select(a => a.ToDto()).ToList(),
            row.ForwardedFromId, row.SentAt, row.StatusValue, DesignationId: row.DesignationId);
        var privileged = row.SenderOrganisationId == callerOrganisationId || row.StatusValue != ExchangeStatus.Delivered
            || row.ReviewedByOrganisationId == callerOrganisationId;
        return privileged
            ? dto with
            {
                Holds = HoldReasons.Read(row.HoldReasons),
                Review = row.ReviewedByOrganisationId is { } by ? new ReviewDto(by, row.ReviewedAt!.Value, row.RejectionReason) : null,
            }
            : dto;
    }
}
