namespace EtatMajor.Modules.Governance.Features.ListInternalRules;

internal sealed record ListInternalRules(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<InternalRulesDto>>, INotADisclosure;

internal sealed class ListInternalRulesValidator : IValidator<ListInternalRules>
{
    public void Validate(ListInternalRules request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsDate);
}

internal sealed class ListInternalRulesHandler(InstanceAccess access, IDbSession db) : IRequestHandler<ListInternalRules, Page<InternalRulesDto>>
{
    internal static class Sql
    {
        public const string Page = $"SELECT {InternalRulesRow.Columns} " + InternalRulesSql.Covering +
            " AND (@AfterDay IS NULL OR r.in_force_from > @AfterDay OR (r.in_force_from = @AfterDay AND r.id > @AfterId)) ORDER BY r.in_force_from, r.id LIMIT @Take";
    }

    public async Task<Page<InternalRulesDto>> Handle(ListInternalRules request, CancellationToken cancellationToken)
    {
        await access.AsMemberAsync(request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterDay, afterId) = Keyset.Date(page.After);
        var rows = await db.QueryAsync<InternalRulesRow>(Sql.Page, new { request.InstanceId, AfterDay = afterDay, AfterId = afterId, page.Take }, cancellationToken);
        var items = new List<InternalRulesDto>(rows.Count);
        foreach (var row in rows)
        {
            items.Add(await InternalRulesReader.ToDtoAsync(db, row, cancellationToken));
        }
        return page.ToPage(items, r => Keyset.Of(r.InForceFrom, r.Id));
    }
}

internal static class ListInternalRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(InternalRulesRoutes.OfInstance, (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListInternalRules(id, limit, cursor), ct))
            .WithName("ListInternalRules")
            .Audit("internal-rules.list", AuditOperation.Consultation, "instance")
            .WithSummary("Every règlement intérieur of the CDPD covering this instance, by date of entry into force (without their text; cursor pagination)")
            .Produces<Page<InternalRulesDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();
}
