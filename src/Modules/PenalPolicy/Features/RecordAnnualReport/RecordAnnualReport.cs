namespace EtatMajor.Modules.PenalPolicy.Features.RecordAnnualReport;

internal sealed record AnnualReportBody(int? Year, DateOnly? CommunicatedToProcureurGeneralOn);

/// <summary>
/// POL-2: a procureur records the day his annual report reached the procureur général. The synthesis becomes due, by
/// that day plus one calendar month, to every EMS and CCOFSI he co-chairs at that moment (kept with the report).
/// </summary>
internal sealed record RecordAnnualReport(AnnualReportBody Body) : ICommand<AnnualReportDto>, INotADisclosure;

internal sealed class RecordAnnualReportValidator : IValidator<RecordAnnualReport>
{
    public void Validate(RecordAnnualReport request, ValidationErrors errors)
    {
        var body = request.Body;
        if (body.Year is not (>= 2000 and <= 2100))
        {
            errors.Add("year", "is required: the year of the annual report (2000 to 2100)");
        }
        if (body.CommunicatedToProcureurGeneralOn is not { } on || on.Year < 2000)
        {
            errors.Add("communicatedToProcureurGeneralOn", "is required: the date the report reached the procureur général (a date, such as 2026-01-31)");
        }
        else if (body.Year is { } year && on.Year < year)
        {
            errors.Add("communicatedToProcureurGeneralOn", $"cannot be before the year {year} the report is about");
        }
    }
}

internal sealed class RecordAnnualReportHandler(PenalPolicyAccess access, IDbSession db, IMediator mediator) : IRequestHandler<RecordAnnualReport, AnnualReportDto>
{
    public async Task<AnnualReportDto> Handle(RecordAnnualReport request, CancellationToken cancellationToken)
    {
        var caller = access.Caller;
        if (caller.Kind != OrganisationKind.Procureur)
        {
            throw new ForbiddenException("Only a procureur de la République records the communication of his annual report to the procureur général.")
            {
                Rule = LegalRules.Pol2,
            };
        }
        var body = request.Body;
        var communicatedOn = body.CommunicatedToProcureurGeneralOn!.Value;
        if (communicatedOn > access.Today)
        {
            throw new RuleViolationException(LegalRules.Pol2,
                "The communication to the procureur général is recorded once it has happened: communicatedToProcureurGeneralOn is after today.");
        }
        var year = body.Year!.Value;
        if (await db.QuerySingleOrDefaultAsync<long>(ReportSql.OfProcureurYear, new { ProcureurId = caller.OrganisationId, Year = year }, cancellationToken) > 0)
        {
            throw new ConflictException($"The annual report for {year} is already recorded (GET /api/v1/penal-policy-reports?year={year}).");
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(ReportSql.Insert, new
        {
            Id = id, ProcureurId = caller.OrganisationId, Year = year, CommunicatedOn = communicatedOn,
            SynthesisDueOn = Deadlines.SynthesisDueOn(communicatedOn), RecordedAt = access.Now,
        }, cancellationToken);
        foreach (var instance in await mediator.Send(new ListInstanceCircles(null, caller.OrganisationId, access.Now), cancellationToken))
        {
            await db.ExecuteAsync(ReportSql.InsertInstance, new { ReportId = id, instance.InstanceId, InstanceKind = instance.Kind.ToKebab() }, cancellationToken);
        }
        var row = (await db.QuerySingleOrDefaultAsync<ReportRow>(ReportSql.One, new { Id = id }, cancellationToken))!;
        return await ReportSql.ToDtoAsync(db, row, access.Today, cancellationToken);
    }
}

internal static class RecordAnnualReportEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/penal-policy-reports", async (AnnualReportBody body, IMediator mediator, CancellationToken ct) =>
            {
                var report = await mediator.Send(new RecordAnnualReport(body), ct);
                return Results.Created($"/api/v1/penal-policy-reports/{report.Id}", report);
            })
            .WithName("RecordPenalPolicyReport")
            .Audit("penal-policy-report.create", AuditOperation.Collection, "penal-policy-report", null)
            .WithSummary("Record the date a procureur's annual report reached the procureur général: the synthesis is due one calendar month later to every instance he co-chairs (POL-2)")
            .Produces<AnnualReportDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowPenalPolicy();
}
