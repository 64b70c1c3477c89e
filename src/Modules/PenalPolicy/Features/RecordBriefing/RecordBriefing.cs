namespace EtatMajor.Modules.PenalPolicy.Features.RecordBriefing;

internal sealed record BriefingBody(int? Year, DateOnly? HeldOn, Guid? MeetingId, string? Summary);

/// <summary>POL-1: a procureur co-chair records the briefing on the penal policy he gave the instance (his own, never another's).</summary>
internal sealed record RecordBriefing(Guid InstanceId, BriefingBody Body) : ICommand<BriefingDto>, INotADisclosure;

internal sealed class RecordBriefingValidator : IValidator<RecordBriefing>
{
    public const int MaxSummary = 4000;

    public void Validate(RecordBriefing request, ValidationErrors errors)
    {
        var body = request.Body;
        if (body.Year is not (>= 2000 and <= 2100))
        {
            errors.Add("year", "is required: the calendar year of the briefing (2000 to 2100)");
        }
        if (body.HeldOn is not { } heldOn || heldOn.Year < 2000)
        {
            errors.Add("heldOn", "is required: the date the briefing was given (a date, such as 2026-03-12)");
        }
        else if (body.Year is { } year && heldOn.Year != year)
        {
            errors.Add("heldOn", $"must fall in the year {year}");
        }
        if (body.MeetingId == Guid.Empty)
        {
            errors.Add("meetingId", "is not a meeting id");
        }
        errors.Required("summary", body.Summary, MaxSummary);
    }
}

internal sealed class RecordBriefingHandler(PenalPolicyAccess access, IDbSession db, IMediator mediator) : IRequestHandler<RecordBriefing, BriefingDto>
{
    public async Task<BriefingDto> Handle(RecordBriefing request, CancellationToken cancellationToken)
    {
        await access.AsProcureurCoChairAsync(request.InstanceId, cancellationToken);
        var body = request.Body;
        var heldOn = body.HeldOn!.Value;
        if (heldOn > access.Today)
        {
            throw new RuleViolationException(LegalRules.Pol1, "A briefing is recorded once given: heldOn is after today.");
        }
        if (body.MeetingId is { } meetingId)
        {
            var meetingOn = await mediator.Send(new GetMeetingHeldOn(request.InstanceId, meetingId), cancellationToken)
                ?? throw new RuleViolationException(LegalRules.Pol1, "meetingId names no meeting of this instance.");
            if (meetingOn != heldOn)
            {
                throw new RuleViolationException(LegalRules.Pol1, $"The meeting named was held on {meetingOn:yyyy-MM-dd}: a briefing given in it has that date.");
            }
        }
        var id = Guid.CreateVersion7();
        var procureur = access.Caller.OrganisationId;
        await db.ExecuteAsync(BriefingSql.Insert, new
        {
            Id = id, request.InstanceId, ProcureurId = procureur, Year = body.Year!.Value, HeldOn = heldOn, body.MeetingId, Summary = body.Summary!.Trim(),
            RecordedAt = access.Now,
        }, cancellationToken);
        await ReminderSql.ResolveAsync(db, ReminderKind.BriefingMissing, request.InstanceId, procureur, body.Year!.Value, access.Today, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<BriefingRow>(BriefingSql.One, new { Id = id }, cancellationToken))!.ToDto();
    }
}

internal static class RecordBriefingEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/instances/{id:guid}/penal-policy-briefings", async (Guid id, BriefingBody body, IMediator mediator, CancellationToken ct) =>
            {
                var briefing = await mediator.Send(new RecordBriefing(id, body), ct);
                return Results.Created($"/api/v1/instances/{id}/penal-policy/status?year={briefing.Year}", briefing);
            })
            .WithName("RecordPenalPolicyBriefing")
            .Audit("penal-policy-briefing.create", AuditOperation.Collection, "penal-policy-briefing", null, related: "id")
            .WithSummary("Record the briefing on the penal policy a procureur co-chair gave the instance (POL-1: at least once per calendar year)")
            .Produces<BriefingDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowPenalPolicy();
}
