namespace EtatMajor.Modules.FollowUp.Features.AcknowledgeFollowUpReport;

/// <summary>FLOW-2: a procureur co-chair marks a follow-up report passed on to the JAP or the SPIP.</summary>
internal sealed record AcknowledgeFollowUpReport(Guid ReportId, AcknowledgeBody Body) : ICommand<FollowUpReportDto>, INotADisclosure;

internal sealed class AcknowledgeFollowUpReportValidator : IValidator<AcknowledgeFollowUpReport>
{
    public void Validate(AcknowledgeFollowUpReport request, ValidationErrors errors) => request.Body.Validate(errors);
}

internal sealed class AcknowledgeFollowUpReportHandler(DesignationAccess access, IDbSession db) : IRequestHandler<AcknowledgeFollowUpReport, FollowUpReportDto>
{
    internal static class Sql
    {
        public const string One = FollowUpReportSql.Select + "WHERE p.id = @Id AND p.erased_at IS NULL";
        public const string Acknowledge = "UPDATE fu_reports SET acknowledged_on = @AcknowledgedOn, acknowledged_by = @By WHERE id = @Id AND acknowledged_on IS NULL";
    }

    public async Task<FollowUpReportDto> Handle(AcknowledgeFollowUpReport request, CancellationToken cancellationToken)
    {
        var report = await db.QuerySingleOrDefaultAsync<FollowUpReportRow>(Sql.One, new { Id = request.ReportId }, cancellationToken)
            ?? throw new NotFoundException("No such follow-up report.");
        var circle = await access.InstanceAsProcureurAsync(report.InstanceId, cancellationToken);
        if (request.Body.AcknowledgedOn > access.Today)
        {
            throw new UnprocessableException("acknowledgedOn", "This date is in the future.") { Rule = LegalRules.Flow2 };
        }
        if (await db.ExecuteAsync(Sql.Acknowledge, new { Id = request.ReportId, request.Body.AcknowledgedOn, By = access.Caller.OrganisationId }, cancellationToken) == 0)
        {
            throw new ConflictException("This follow-up report was already marked passed on.");
        }
        var updated = (await db.QuerySingleOrDefaultAsync<FollowUpReportRow>(Sql.One, new { Id = request.ReportId }, cancellationToken))!;
        return (await FollowUpReportSql.ToDtosAsync(db, [updated], circle, cancellationToken))[0];
    }
}

internal static class AcknowledgeFollowUpReportEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/follow-up-reports/{rid:guid}/acknowledge", (Guid rid, AcknowledgeBody body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new AcknowledgeFollowUpReport(rid, body), ct))
            .WithName("AcknowledgeFollowUpReport")
            .Audit("follow-up-report.acknowledge", AuditOperation.Modification, "follow-up-report", "rid")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Mark a follow-up report passed on to the JAP or the SPIP (procureur co-chair; FLOW-2)")
            .Produces<FollowUpReportDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .AllowFollowUpWrite();
}
