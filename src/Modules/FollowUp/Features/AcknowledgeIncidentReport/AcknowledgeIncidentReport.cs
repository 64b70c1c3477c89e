namespace EtatMajor.Modules.FollowUp.Features.AcknowledgeIncidentReport;

/// <summary>FLOW-2: the procureur marks an incident report passed on to the JAP or the SPIP (outside the platform).</summary>
internal sealed record AcknowledgeIncidentReport(Guid ReportId, AcknowledgeBody Body) : ICommand<IncidentReportDto>, INotADisclosure;

internal sealed class AcknowledgeIncidentReportValidator : IValidator<AcknowledgeIncidentReport>
{
    public void Validate(AcknowledgeIncidentReport request, ValidationErrors errors) => request.Body.Validate(errors);
}

internal sealed class AcknowledgeIncidentReportHandler(DesignationAccess access, IDbSession db) : IRequestHandler<AcknowledgeIncidentReport, IncidentReportDto>
{
    internal static class Sql
    {
        public const string Instance = "SELECT instance_id FROM fu_incident_reports WHERE id = @Id";
        public const string One = IncidentReportSql.Select + "WHERE r.id = @Id";
        public const string Acknowledge = "UPDATE fu_incident_reports SET acknowledged_on = @AcknowledgedOn, acknowledged_by = @By WHERE id = @Id AND acknowledged_on IS NULL";
    }

    public async Task<IncidentReportDto> Handle(AcknowledgeIncidentReport request, CancellationToken cancellationToken)
    {
        var instance = await db.QuerySingleOrDefaultAsync<Guid?>(Sql.Instance, new { Id = request.ReportId }, cancellationToken)
            ?? throw new NotFoundException("No such incident report.");
        await access.InstanceAsProcureurAsync(instance, cancellationToken);
        if (request.Body.AcknowledgedOn > access.Today)
        {
            throw new UnprocessableException("acknowledgedOn", "This date is in the future.") { Rule = LegalRules.Flow2 };
        }
        if (await db.ExecuteAsync(Sql.Acknowledge, new { Id = request.ReportId, request.Body.AcknowledgedOn, By = access.Caller.OrganisationId }, cancellationToken) == 0)
        {
            throw new ConflictException("This incident report was already marked passed on.");
        }
        return (await db.QuerySingleOrDefaultAsync<IncidentReportRow>(Sql.One, new { Id = request.ReportId }, cancellationToken))!.ToDto();
    }
}

internal static class AcknowledgeIncidentReportEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/incident-reports/{rid:guid}/acknowledge", (Guid rid, AcknowledgeBody body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new AcknowledgeIncidentReport(rid, body), ct))
            .WithName("AcknowledgeIncidentReport")
            .Audit("incident-report.acknowledge", AuditOperation.Modification, "incident-report", "rid")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Mark an incident report passed on to the JAP or the SPIP (procureur co-chair; FLOW-2)")
            .Produces<IncidentReportDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .AllowFollowUpWrite();
}
