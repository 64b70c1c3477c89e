namespace EtatMajor.Modules.Governance.Features.ListAcknowledgements;

internal sealed record ListAcknowledgements(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<AcknowledgementDto>>, INotADisclosure;

internal sealed class ListAcknowledgementsValidator : IValidator<ListAcknowledgements>
{
    public void Validate(ListAcknowledgements request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListAcknowledgementsHandler(InstanceAccess access, IDbSession db) : IRequestHandler<ListAcknowledgements, Page<AcknowledgementDto>>
{
    internal static class Sql
    {
        public const string Page = InternalRulesSql.AcknowledgementSelect +
            " AND (@AfterAt IS NULL OR a.acknowledged_at > @AfterAt OR (a.acknowledged_at = @AfterAt AND a.organisation_id > @AfterId)) " +
            "ORDER BY a.acknowledged_at, a.organisation_id LIMIT @Take";
    }

    public async Task<Page<AcknowledgementDto>> Handle(ListAcknowledgements request, CancellationToken cancellationToken)
    {
        await access.AsMemberAsync(request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<AcknowledgementRow>(Sql.Page,
            new { request.InstanceId, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), a => Keyset.Of(a.AcknowledgedAt, a.OrganisationId));
    }
}

internal static class ListAcknowledgementsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(InternalRulesRoutes.OfInstance + "/acknowledgements", (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListAcknowledgements(id, limit, cursor), ct))
            .WithName("ListAcknowledgements")
            .Audit("internal-rules.acknowledgements", AuditOperation.Consultation, "instance")
            .WithSummary("Who acknowledged which version of the règlement intérieur, oldest first (cursor pagination)")
            .Produces<Page<AcknowledgementDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();
}
