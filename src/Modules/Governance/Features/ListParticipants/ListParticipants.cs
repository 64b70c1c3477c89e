namespace EtatMajor.Modules.Governance.Features.ListParticipants;

internal sealed record ListParticipants(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<ParticipantDto>>, INotADisclosure;

internal sealed class ListParticipantsValidator : IValidator<ListParticipants>
{
    public void Validate(ListParticipants request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListParticipantsHandler(InstanceAccess access, IDbSession db) : IRequestHandler<ListParticipants, Page<ParticipantDto>>
{
    internal static class Sql
    {
        public const string Page = ParticipantSql.Select +
            " AND (@AfterAt IS NULL OR p.joined_at > @AfterAt OR (p.joined_at = @AfterAt AND p.organisation_id > @AfterId)) " +
            "ORDER BY p.joined_at, p.organisation_id LIMIT @Take";
    }

    public async Task<Page<ParticipantDto>> Handle(ListParticipants request, CancellationToken cancellationToken)
    {
        await access.VisibleAsync(request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<ParticipantRow>(Sql.Page, new { request.InstanceId, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), p => Keyset.Of(p.JoinedAt, p.OrganisationId));
    }
}

internal static class ListParticipantsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(ParticipantRoutes.Base, (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListParticipants(id, limit, cursor), ct))
            .WithName("ListParticipants")
            .Audit("participant.list", AuditOperation.Consultation, "instance")
            .WithSummary("Participants of an EMS's steering meetings (COMP-4): not members, no confidential information (members and administrators; cursor pagination)")
            .Produces<Page<ParticipantDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembersAndAdministrators();
}
