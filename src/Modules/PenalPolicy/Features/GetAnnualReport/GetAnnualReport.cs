namespace EtatMajor.Modules.PenalPolicy.Features.GetAnnualReport;

internal sealed record GetAnnualReport(Guid ReportId) : IQuery<AnnualReportDto>, INotADisclosure;

/// <summary>POL-2: per instance, pending, on-time, late or overdue as of today. The procureur's own report: anyone else gets 404.</summary>
internal sealed class GetAnnualReportHandler(PenalPolicyAccess access, IDbSession db) : IRequestHandler<GetAnnualReport, AnnualReportDto>
{
    public async Task<AnnualReportDto> Handle(GetAnnualReport request, CancellationToken cancellationToken)
    {
        var row = await AnnualReports.OwnAsync(db, access, request.ReportId, cancellationToken);
        return await ReportSql.ToDtoAsync(db, row, access.Today, cancellationToken);
    }
}

internal static class AnnualReports
{
    /// <summary>A report exists only for the procureur who recorded it.</summary>
    public static async Task<ReportRow> OwnAsync(IDbSession db, PenalPolicyAccess access, Guid reportId, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<ReportRow>(ReportSql.One, new { Id = reportId }, cancellationToken);
        return row is not null && row.ProcureurId == access.Caller.OrganisationId ? row : throw new NotFoundException("No such annual report.");
    }
}

internal static class GetAnnualReportEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/penal-policy-reports/{rid:guid}", (Guid rid, IMediator mediator, CancellationToken ct) => mediator.Send(new GetAnnualReport(rid), ct))
            .WithName("GetPenalPolicyReport")
            .Audit("penal-policy-report.read", AuditOperation.Consultation, "penal-policy-report", "rid")
            .WithSummary("A procureur's annual report: the synthesis's due date and, per instance, pending, on-time, late or overdue as of today (POL-2)")
            .Produces<AnnualReportDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowPenalPolicy();
}
