namespace EtatMajor.Modules.Governance.Features.GetMeetingCadence;

/// <summary>
/// One month of an instance's cadence. `MeetsTarget` (MEET-1) is given for an EMS only: true when a meeting was
/// held that month. The circulaire instructs préfets to hold the EMS monthly; it does not bind the instance, so a
/// missed month is "below target", never "non-compliant". The current month is `InProgress`: it is not reported
/// below target before it ends.
/// </summary>
internal sealed record MonthCadence(string Month, int MeetingsHeld, bool? MeetsTarget, bool InProgress);

internal sealed record CadenceDto(Guid InstanceId, InstanceKind Kind, int Year, string RuleId, string LegalBasis,
    IReadOnlyList<MonthCadence> Months, IReadOnlyList<string>? MonthsBelowTarget);

internal sealed record GetCadence(Guid InstanceId, int? Year) : IQuery<CadenceDto>, INotADisclosure;

internal sealed class GetCadenceValidator : IValidator<GetCadence>
{
    public void Validate(GetCadence request, ValidationErrors errors)
    {
        if (request.Year is < 2000 or > 2100)
        {
            errors.Add("year", "a year between 2000 and 2100");
        }
    }
}

internal sealed class GetCadenceHandler(InstanceAccess access, IDbSession db, TimeProvider clock) : IRequestHandler<GetCadence, CadenceDto>
{
    public async Task<CadenceDto> Handle(GetCadence request, CancellationToken cancellationToken)
    {
        var instance = await access.VisibleAsync(request.InstanceId, cancellationToken);
        var today = LegalCalendar.Today(clock);
        var year = request.Year ?? today.Year;
        var from = new DateOnly(year, 1, 1);
        var to = from.AddYears(1);
        var counts = Months.Count(await db.QueryAsync<DateOnly>(MeetingSql.HeldOnBetween, new { request.InstanceId, From = from, To = to }, cancellationToken));
        var ems = instance.KindValue == InstanceKind.Ems;
        var months = Months.UpTo(from, to, today).Select(m =>
        {
            var held = counts.GetValueOrDefault(Months.Name(m.Year, m.Month));
            return new MonthCadence(Months.Name(m.Year, m.Month), held, ems ? held > 0 : null, m.InProgress);
        }).ToList();
        return new CadenceDto(instance.Id, instance.KindValue, year, LegalRules.Meet1.Id, LegalRules.Meet1.LegalBasis, months,
            ems ? months.Where(m => m.MeetsTarget == false && !m.InProgress).Select(m => m.Month).ToList() : null);
    }
}

internal static class GetMeetingCadenceEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/meeting-cadence", (Guid id, int? year, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetCadence(id, year), ct))
            .WithName("GetMeetingCadence")
            .Audit("meeting.cadence", AuditOperation.Consultation, "instance")
            .WithSummary("Meetings held per month up to the current one; for an EMS, which months are below the circulaire's monthly target (MEET-1)")
            .Produces<CadenceDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembersAndAdministrators();
}
