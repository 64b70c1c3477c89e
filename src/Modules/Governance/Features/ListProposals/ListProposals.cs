namespace EtatMajor.Modules.Governance.Features.ListProposals;

internal sealed record ListProposals(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<ProposalDto>>, INotADisclosure;

internal sealed class ListProposalsValidator : IValidator<ListProposals>
{
    public void Validate(ListProposals request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListProposalsHandler(InstanceAccess access, IDbSession db) : IRequestHandler<ListProposals, Page<ProposalDto>>
{
    internal static class Sql
    {
        public const string Page = ProposalRow.Select + " WHERE p.instance_id = @InstanceId " +
            "AND (@AfterAt IS NULL OR p.proposed_at > @AfterAt OR (p.proposed_at = @AfterAt AND p.id > @AfterId)) ORDER BY p.proposed_at, p.id LIMIT @Take";
    }

    public async Task<Page<ProposalDto>> Handle(ListProposals request, CancellationToken cancellationToken)
    {
        await access.AsCoChairAsync(request.InstanceId, cancellationToken, administratorMayRead: true);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<ProposalRow>(Sql.Page, new { request.InstanceId, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), p => Keyset.Of(p.ProposedAt, p.Id));
    }
}

internal static class ListProposalsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(ProposalRoutes.Base, (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) => mediator.Send(new ListProposals(id, limit, cursor), ct))
            .WithName("ListProposals")
            .Audit("proposal.list", AuditOperation.Consultation, "instance")
            .WithSummary("The association proposals of an instance, oldest first (co-chairs and administrators; cursor pagination)")
            .Produces<Page<ProposalDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowCoChairsAndAdministrators();
}
