namespace EtatMajor.Modules.FollowUp.Features.ListFollowUpReports;

internal sealed record ListFollowUpReports(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<FollowUpReportDto>>, INotADisclosure;

internal sealed class ListFollowUpReportsValidator : IValidator<ListFollowUpReports>
{
    public void Validate(ListFollowUpReports request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

/// <summary>FLOW-2: the follow-up reports of an instance, for its co-chairs (the procureurs they are addressed to, and their authors).</summary>
internal sealed class ListFollowUpReportsHandler(DesignationAccess access, IDbSession db) : IRequestHandler<ListFollowUpReports, Page<FollowUpReportDto>>
{
    internal static class Sql
    {
        public const string OfInstance =
            FollowUpReportSql.Select + "WHERE p.instance_id = @InstanceId AND p.erased_at IS NULL " +
            "AND (@AfterAt IS NULL OR p.sent_at > @AfterAt OR (p.sent_at = @AfterAt AND p.id > @AfterId)) ORDER BY p.sent_at, p.id LIMIT @Take";
    }

    public async Task<Page<FollowUpReportDto>> Handle(ListFollowUpReports request, CancellationToken cancellationToken)
    {
        var circle = await access.InstanceAsync(request.InstanceId, cancellationToken);
        if (!circle.IsCoChair(access.Caller.OrganisationId))
        {
            throw new ForbiddenException("Follow-up reports are read by the co-chairs of the instance.") { Rule = LegalRules.Flow2 };
        }
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<FollowUpReportRow>(Sql.OfInstance, new { request.InstanceId, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        var dtos = await FollowUpReportSql.ToDtosAsync(db, rows, circle, cancellationToken);
        return page.ToPage(dtos, r => Keyset.Of(r.SentAt, r.Id));
    }
}

internal static class ListFollowUpReportsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/follow-up-reports", (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListFollowUpReports(id, limit, cursor), ct))
            .WithName("ListFollowUpReports")
            .Audit("follow-up-report.list", AuditOperation.Consultation, "instance")
            .PersonalData().RequireJustification()
            .WithSummary("The follow-up reports of an instance (co-chairs; FLOW-2)")
            .Produces<Page<FollowUpReportDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowFollowUpRead();
}
