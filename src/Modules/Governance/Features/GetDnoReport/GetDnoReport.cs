using System.Globalization;
using System.Text;

namespace EtatMajor.Modules.Governance.Features.GetDnoReport;

/// <summary>MEET-2: for the DNO dashboard, per département, the EMS meetings held in a semester and the months without one.</summary>
internal sealed record DnoLine(string Departement, Guid InstanceId, string InstanceName, int MeetingsHeld, IReadOnlyList<string> MonthsWithoutMeeting);

internal sealed record DnoReportDto(string Semester, string RuleId, string LegalBasis, IReadOnlyList<DnoLine> Departements)
{
    public string ToCsv()
    {
        var csv = new StringBuilder(Csv.Line("semester", "departement", "instanceId", "instanceName", "meetingsHeld", "monthsWithoutMeeting"));
        foreach (var line in Departements)
        {
            csv.Append(Csv.Line(Semester, line.Departement, line.InstanceId.ToString(), line.InstanceName,
                line.MeetingsHeld.ToString(CultureInfo.InvariantCulture), string.Join(' ', line.MonthsWithoutMeeting)));
        }
        return csv.ToString();
    }
}

internal sealed record GetDnoReport(string? Semester, string? Departement) : IQuery<DnoReportDto>, INotADisclosure;

internal sealed class GetDnoReportValidator : IValidator<GetDnoReport>
{
    public void Validate(GetDnoReport request, ValidationErrors errors)
    {
        if (!DnoSemester.TryParse(request.Semester, out _, out _))
        {
            errors.Add("semester", "YYYY-S1 (January to June) or YYYY-S2 (July to December)");
        }
        if (request.Departement is not null && !Territory.IsDepartement(request.Departement))
        {
            errors.Add("departement", Territory.DepartementHint);
        }
    }
}

internal static class DnoSemester
{
    public static bool TryParse(string? text, out DateOnly from, out DateOnly to)
    {
        from = to = default;
        if (text is not { Length: 7 } || text[4] != '-' || text[5] != 'S' || text[6] is not ('1' or '2')
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100)
        {
            return false;
        }
        from = new DateOnly(year, text[6] == '1' ? 1 : 7, 1);
        to = from.AddMonths(6);
        return true;
    }
}

internal sealed class GetDnoReportHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetDnoReport, DnoReportDto>
{
    internal static class Sql
    {
        public const string Emss =
            $"SELECT id AS {nameof(EmsRow.Id)}, departement AS {nameof(EmsRow.Departement)}, name AS {nameof(EmsRow.Name)} FROM gov_instances " +
            "WHERE kind = 'ems' AND (@Departement IS NULL OR departement = @Departement) ORDER BY departement";
    }

    internal sealed class EmsRow
    {
        public Guid Id { get; init; }
        public string Departement { get; init; } = "";
        public string Name { get; init; } = "";
    }

    public async Task<DnoReportDto> Handle(GetDnoReport request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var departement = request.Departement;
        if (!caller.IsAdministrator)
        {
            // A préfet reports for its own département.
            var own = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = caller.OrganisationId }, cancellationToken);
            if (own?.Departement is null || (departement is not null && departement != own.Departement))
            {
                throw new ForbiddenException("A préfet reads the DNO report of its own département only.") { Rule = LegalRules.Meet2 };
            }
            departement = own.Departement;
        }
        DnoSemester.TryParse(request.Semester, out var from, out var to);
        var today = LegalCalendar.Today(clock);
        var lines = new List<DnoLine>();
        foreach (var ems in await db.QueryAsync<EmsRow>(Sql.Emss, new { Departement = departement }, cancellationToken))
        {
            var counts = Months.Count(await db.QueryAsync<DateOnly>(MeetingSql.HeldOnBetween, new { InstanceId = ems.Id, From = from, To = to }, cancellationToken));
            var without = Months.UpTo(from, to, today).Where(m => !m.InProgress && !counts.ContainsKey(Months.Name(m.Year, m.Month)))
                .Select(m => Months.Name(m.Year, m.Month)).ToList();
            lines.Add(new DnoLine(ems.Departement, ems.Id, ems.Name, counts.Values.Sum(), without));
        }
        return new DnoReportDto(request.Semester!, LegalRules.Meet2.Id, LegalRules.Meet2.LegalBasis, lines);
    }
}
internal static class GetDnoReportEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/reports/dno", async (string? semester, string? departement, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var report = await mediator.Send(new GetDnoReport(semester, departement), ct);
                return http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase)
                    ? Results.Text(report.ToCsv(), "text/csv; charset=utf-8")
                    : Results.Ok(report);
            })
            .WithName("GetDnoReport")
            .Audit("report.dno", AuditOperation.Consultation, "report", null)
            .WithSummary("Semester count of EMS meetings per département for the DNO dashboard (MEET-2); CSV with Accept: text/csv")
            .Produces<DnoReportDto>().Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur)
            .Allow(Scopes.Governance, OrganisationKind.Prefet);
}
