namespace EtatMajor.Modules.FollowUp.Features.ListIncidentReports;

internal sealed record ListIncidentReports(Guid InstanceId, bool? Open, int? Limit, string? Cursor) : IQuery<Page<IncidentReportDto>>, INotADisclosure;

internal sealed class ListIncidentReportsValidator : IValidator<ListIncidentReports>
{
    public void Validate(ListIncidentReports request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListIncidentReportsHandler(DesignationAccess access, IDbSession db) : IRequestHandler<ListIncidentReports, Page<IncidentReportDto>>
{
    internal static class Sql
    {
        public const string OfInstance =
            IncidentReportSql.Select + "WHERE r.instance_id = @InstanceId AND (@OpenOnly = 0 OR r.acknowledged_on IS NULL) " +
            "AND (@AfterAt IS NULL OR r.reported_at > @AfterAt OR (r.reported_at = @AfterAt AND r.id > @AfterId)) ORDER BY r.reported_at, r.id LIMIT @Take";
    }

    public async Task<Page<IncidentReportDto>> Handle(ListIncidentReports request, CancellationToken cancellationToken)
    {
        await access.InstanceAsProcureurAsync(request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<IncidentReportRow>(Sql.OfInstance, new
        {
            request.InstanceId, OpenOnly = request.Open == true ? 1 : 0, AfterAt = afterAt, AfterId = afterId, page.Take,
        }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), r => Keyset.Of(r.ReportedAt, r.Id));
    }
}

internal static class ListIncidentReportsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/incident-reports", (Guid id, bool? open, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListIncidentReports(id, open, limit, cursor), ct))
            .WithName("ListIncidentReports")
            .Audit("incident-report.list", AuditOperation.Consultation, "instance")
            .PersonalData().RequireJustification()
            .WithSummary("The incident reports (suspected breaches) addressed to the procureur (procureur co-chairs; FLOW-2); ?open=true for those not yet passed on")
            .Produces<Page<IncidentReportDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowFollowUpRead();
}
