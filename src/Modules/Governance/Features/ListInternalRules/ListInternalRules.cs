namespace EtatMajor.Modules.Governance.Features.ListInternalRules;

internal sealed record ListInternalRules(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<InternalRulesDto>>, INotADisclosure;

internal sealed class ListInternalRulesValidator : IValidator<ListInternalRules>
{
    public void Validate(ListInternalRules request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsDate);
}

internal sealed class ListInternalRulesHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<ListInternalRules, Page<InternalRulesDto>>
{
    internal static class Sql
    {
        public const string Page = $"SELECT {InternalRulesRow.Columns} FROM gov_internal_rules WHERE instance_id = @InstanceId " +
            "AND (@AfterDay IS NULL OR in_force_from > @AfterDay OR (in_force_from = @AfterDay AND id > @AfterId)) ORDER BY in_force_from, id LIMIT @Take";
    }

    public async Task<Page<InternalRulesDto>> Handle(ListInternalRules request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsMemberAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterDay, afterId) = Keyset.Date(page.After);
        var rows = await db.QueryAsync<InternalRulesRow>(Sql.Page, new { request.InstanceId, AfterDay = afterDay, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), r => Keyset.Of(r.InForceFrom, r.Id));
    }
}

internal static class ListInternalRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(InternalRulesRoutes.Base, (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) => mediator.Send(new ListInternalRules(id, limit, cursor), ct))
            .WithName("ListInternalRules")
            .Audit("internal-rules.list", AuditOperation.Consultation, "instance")
            .WithSummary("Every version of the règlement intérieur, by date of entry into force (without their text; cursor pagination)")
            .Produces<Page<InternalRulesDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();
}
