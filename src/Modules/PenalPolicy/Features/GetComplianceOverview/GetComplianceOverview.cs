namespace EtatMajor.Modules.PenalPolicy.Features.GetComplianceOverview;

internal sealed record GetComplianceOverview(int? Year, string? Departement) : IQuery<ComplianceOverviewDto>, INotADisclosure;

internal sealed class GetComplianceOverviewValidator : IValidator<GetComplianceOverview>
{
    public void Validate(GetComplianceOverview request, ValidationErrors errors)
    {
        if (request.Year is not (null or (>= 2000 and <= 2100)))
        {
            errors.Add("year", "a calendar year (2000 to 2100); the current year when omitted");
        }
        if (request.Departement is not null && !Territory.IsDepartement(request.Departement))
        {
            errors.Add("departement", Territory.DepartementHint);
        }
    }
}

/// <summary>
/// POL-1 and POL-2 for a year, per instance and per procureur, with the reminders the daily job marked. For
/// administrators (every département, or one), and for the préfet and the procureurs concerned: the départements
/// where they co-chair an instance.
/// </summary>
internal sealed class GetComplianceOverviewHandler(PenalPolicyAccess access, IDbSession db, IMediator mediator)
    : IRequestHandler<GetComplianceOverview, ComplianceOverviewDto>
{
    public async Task<ComplianceOverviewDto> Handle(GetComplianceOverview request, CancellationToken cancellationToken)
    {
        var today = access.Today;
        var year = request.Year ?? today.Year;
        if (year > today.Year)
        {
            throw new UnprocessableException("year", $"The overview of a year is known once it has begun: {year} is after {today.Year}.");
        }
        var instances = await InstancesAsync(request.Departement, Deadlines.AsOfYear(year, access.Now), cancellationToken);
        var briefings = (await db.QueryAsync<BriefingCount>(BriefingSql.CountsOfYear, new { Year = year }, cancellationToken))
            .ToDictionary(b => (b.InstanceId, b.ProcureurId));
        var syntheses = (await db.QueryAsync<ReportInstanceRow>(ReportSql.InstancesOfYear, new { Year = year }, cancellationToken))
            .ToDictionary(r => (r.InstanceId, r.ProcureurId));
        var lines = new List<ComplianceLine>();
        foreach (var instance in instances)
        {
            var procureurs = instance.Procureurs
                .Concat(briefings.Keys.Where(k => k.InstanceId == instance.InstanceId).Select(k => k.ProcureurId))
                .Concat(syntheses.Keys.Where(k => k.InstanceId == instance.InstanceId).Select(k => k.ProcureurId))
                .Distinct();
            foreach (var procureur in procureurs)
            {
                var briefing = briefings.GetValueOrDefault((instance.InstanceId, procureur));
                var synthesis = syntheses.GetValueOrDefault((instance.InstanceId, procureur));
                lines.Add(new ComplianceLine(instance.Departement, instance.InstanceId, instance.Kind, instance.Name, procureur,
                    Deadlines.Briefing(year, briefing?.Held ?? 0, today), (int)(briefing?.Held ?? 0), briefing?.LastHeldOn,
                    synthesis?.ReportId, synthesis?.SynthesisDueOn,
                    synthesis is null ? null : Deadlines.Synthesis(synthesis.SynthesisDueOn, synthesis.DeliveredOn, today), synthesis?.DeliveredOn));
            }
        }
        var shown = instances.Select(i => i.InstanceId).ToHashSet();
        var reminders = (await db.QueryAsync<ReminderRow>(ReminderSql.OfYear, new { Year = year }, cancellationToken))
            .Where(r => shown.Contains(r.InstanceId)).Select(r => r.ToDto()).ToList();
        return new ComplianceOverviewDto(year, today, lines, reminders);
    }

    /// <summary>
    /// What the caller may see — everything for an administrator; for a préfet or a procureur, the départements where it
    /// co-chairs an instance now — with the co-chairs of the year (on its 31 December for a past year).
    /// </summary>
    private async Task<IReadOnlyList<InstanceSummary>> InstancesAsync(string? departement, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var caller = access.Caller;
        if (caller.IsAdministrator)
        {
            return await mediator.Send(new ListInstanceCircles(departement, null, asOf), cancellationToken);
        }
        if (caller.Kind is not (OrganisationKind.Prefet or OrganisationKind.Procureur))
        {
            throw new ForbiddenException("The penal-policy overview is for administrators, and for the préfet and the procureurs of the département.");
        }
        var mine = await mediator.Send(new ListInstanceCircles(departement, caller.OrganisationId, access.Now), cancellationToken);
        if (mine.Count == 0)
        {
            throw new ForbiddenException(departement is null
                ? "Your organisation co-chairs no instance: the overview is for the préfet and the procureurs of the département."
                : $"Your organisation co-chairs no instance in département {departement}: its overview is for its préfet and procureurs.");
        }
        var all = new List<InstanceSummary>();
        foreach (var code in mine.Select(i => i.Departement).Distinct())
        {
            all.AddRange(await mediator.Send(new ListInstanceCircles(code, null, asOf), cancellationToken));
        }
        return all;
    }
}

internal static class GetComplianceOverviewEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/reports/penal-policy", async (int? year, string? departement, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var overview = await mediator.Send(new GetComplianceOverview(year, departement), ct);
                return http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase)
                    ? Results.Text(overview.ToCsv(), "text/csv; charset=utf-8")
                    : Results.Ok(overview);
            })
            .WithName("GetPenalPolicyOverview")
            .Audit("report.penal-policy", AuditOperation.Consultation, "report", null)
            .WithSummary("Per instance and per procureur, the year's briefing (POL-1) and synthesis status (POL-2), with the reminders marked; CSV with Accept: text/csv")
            .Produces<ComplianceOverviewDto>().Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur)
            .Allow(Scopes.PenalPolicy, OrganisationKind.Prefet, OrganisationKind.Procureur);
}
