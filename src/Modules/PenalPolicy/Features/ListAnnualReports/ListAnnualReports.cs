namespace EtatMajor.Modules.PenalPolicy.Features.ListAnnualReports;

internal sealed record ListAnnualReports(int? Year, int? Limit, string? Cursor) : IQuery<Page<AnnualReportDto>>, INotADisclosure;

internal sealed class ListAnnualReportsValidator : IValidator<ListAnnualReports>
{
    public void Validate(ListAnnualReports request, ValidationErrors errors)
    {
        if (request.Year is not (null or (>= 2000 and <= 2100)))
        {
            errors.Add("year", "a year (2000 to 2100)");
        }
        PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsNumber);
    }
}

/// <summary>The caller's own annual reports (a procureur's), most recent year first.</summary>
internal sealed class ListAnnualReportsHandler(PenalPolicyAccess access, IDbSession db) : IRequestHandler<ListAnnualReports, Page<AnnualReportDto>>
{
    internal static class Sql
    {
        public const string OfProcureur =
            $"SELECT {ReportRow.Columns} FROM pp_reports r WHERE r.procureur_id = @ProcureurId AND (@Year IS NULL OR r.year = @Year) " +
            "AND (@Before IS NULL OR r.year < @Before) ORDER BY r.year DESC LIMIT @Take";
    }

    public async Task<Page<AnnualReportDto>> Handle(ListAnnualReports request, CancellationToken cancellationToken)
    {
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var before = page.After is null ? (long?)null : Keyset.Number(page.After);
        var rows = await db.QueryAsync<ReportRow>(Sql.OfProcureur,
            new { ProcureurId = access.Caller.OrganisationId, request.Year, Before = before, page.Take }, cancellationToken);
        var dtos = new List<AnnualReportDto>();
        foreach (var row in rows)
        {
            dtos.Add(await ReportSql.ToDtoAsync(db, row, access.Today, cancellationToken));
        }
        return page.ToPage(dtos, r => r.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

internal static class ListAnnualReportsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/penal-policy-reports", (int? year, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListAnnualReports(year, limit, cursor), ct))
            .WithName("ListPenalPolicyReports")
            .Audit("penal-policy-report.list", AuditOperation.Consultation, "penal-policy-report", null)
            .WithSummary("The caller's own annual reports (a procureur's), most recent year first, with each instance's synthesis status (POL-2)")
            .Produces<Page<AnnualReportDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AllowPenalPolicy();
}
