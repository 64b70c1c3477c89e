namespace EtatMajor.Modules.Governance.Features.ListMembers;

internal sealed record ListMembers(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<MemberDto>>, INotADisclosure;

internal sealed class ListMembersValidator : IValidator<ListMembers>
{
    public void Validate(ListMembers request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListMembersHandler(InstanceAccess access, IDbSession db) : IRequestHandler<ListMembers, Page<MemberDto>>
{
    internal static class Sql
    {
        /// <summary>Current members, in the order they joined (the co-chairs first, from the creation).</summary>
        public const string Page = MemberSql.Select +
            " AND (@AfterAt IS NULL OR m.joined_at > @AfterAt OR (m.joined_at = @AfterAt AND m.organisation_id > @AfterId)) " +
            "ORDER BY m.joined_at, m.organisation_id LIMIT @Take";
    }

    public async Task<Page<MemberDto>> Handle(ListMembers request, CancellationToken cancellationToken)
    {
        await access.VisibleAsync(request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<MemberRow>(Sql.Page, new { request.InstanceId, access.Now, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), m => Keyset.Of(m.JoinedAt, m.OrganisationId));
    }
}

internal static class ListMembersEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/members", (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListMembers(id, limit, cursor), ct))
            .WithName("ListMembers")
            .Audit("member.list", AuditOperation.Consultation, "instance")
            .WithSummary("Current members of an instance, in the order they joined (members and administrators; cursor pagination)")
            .Produces<Page<MemberDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembersAndAdministrators();
}
