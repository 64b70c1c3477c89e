namespace EtatMajor.Modules.PenalPolicy.Features.GetBriefingStatus;

internal sealed record GetBriefingStatus(Guid InstanceId, int? Year) : IQuery<BriefingStatusDto>, INotADisclosure;

internal sealed class GetBriefingStatusValidator : IValidator<GetBriefingStatus>
{
    public void Validate(GetBriefingStatus request, ValidationErrors errors)
    {
        if (request.Year is not (null or (>= 2000 and <= 2100)))
        {
            errors.Add("year", "a calendar year (2000 to 2100); the current year when omitted");
        }
    }
}

/// <summary>
/// POL-1 for one instance and year, per procureur: its procureur co-chairs (on 31 December for a past year, now for the
/// current one), and any other procureur who briefed it that year. A past year without a briefing is `missing`; the
/// current year `pending` until one is held. Read by the members that acknowledged the règlement in force (CONF-4): the
/// briefings' summaries are what the procureur told the instance.
/// </summary>
internal sealed class GetBriefingStatusHandler(PenalPolicyAccess access, IDbSession db) : IRequestHandler<GetBriefingStatus, BriefingStatusDto>
{
    public async Task<BriefingStatusDto> Handle(GetBriefingStatus request, CancellationToken cancellationToken)
    {
        await access.ReaderOfDeliveriesAsync(request.InstanceId, cancellationToken);
        var today = access.Today;
        var year = request.Year ?? today.Year;
        if (year > today.Year)
        {
            throw new UnprocessableException("year", $"The status of a year is known once it has begun: {year} is after {today.Year}.");
        }
        var briefings = (await db.QueryAsync<BriefingRow>(BriefingSql.OfInstanceYear, new { request.InstanceId, Year = year }, cancellationToken))
            .ToLookup(b => b.ProcureurId);
        var owing = await access.ProcureursAtAsync(request.InstanceId, Deadlines.AsOfYear(year, access.Now), cancellationToken);
        var procureurs = owing.Concat(briefings.Select(b => b.Key)).Distinct();
        return new BriefingStatusDto(request.InstanceId, year, today, LegalRules.Pol1.Id, LegalRules.Pol1.LegalBasis,
            procureurs.Select(p => new ProcureurBriefingsDto(p, Deadlines.Briefing(year, briefings[p].Count(), today), briefings[p].Select(b => b.ToDto()).ToList()))
                .ToList());
    }
}

internal static class GetBriefingStatusEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/penal-policy/status", (Guid id, int? year, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetBriefingStatus(id, year), ct))
            .WithName("GetPenalPolicyStatus")
            .Audit("penal-policy-status.read", AuditOperation.Consultation, "instance")
            .WithSummary("Per procureur of the instance, the year's briefings and their status: held, pending (current year) or missing (POL-1); members that acknowledged the règlement in force")
            .Produces<BriefingStatusDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowPenalPolicy();
}
