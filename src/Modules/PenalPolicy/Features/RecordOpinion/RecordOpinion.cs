namespace EtatMajor.Modules.PenalPolicy.Features.RecordOpinion;

/// <summary>OPN-1: a measure, a period, the opinion, and the held meeting that adopted it. No field names a person: any other field is refused (400).</summary>
internal sealed record OpinionBody(string? Measure, DateOnly? PeriodFrom, DateOnly? PeriodTo, string? Opinion, Guid? MeetingId);

/// <summary>
/// OPN-1 (L132-10-1 I 2°): the instance, in a held meeting, gives its opinion on how an art. 41-1 CPP measure was
/// carried out over a period. Recorded by a co-chair; the measure must be in force on at least one day of the period.
/// </summary>
internal sealed record RecordOpinion(Guid InstanceId, OpinionBody Body) : ICommand<OpinionDto>, INotADisclosure;

internal sealed class RecordOpinionValidator : IValidator<RecordOpinion>
{
    public const int MaxOpinion = 2000;

    public void Validate(RecordOpinion request, ValidationErrors errors)
    {
        var body = request.Body;
        if (MeasureCatalogue.Find(body.Measure) is null)
        {
            errors.Add("measure", $"one of the catalogue (GET /api/v1/penal-policy/measures): {string.Join(' ', MeasureCatalogue.All.Select(m => m.Code))}");
        }
        if (body.PeriodFrom is not { } from || from.Year < 2000)
        {
            errors.Add("periodFrom", "is required: the first day of the period the opinion is about (a date)");
        }
        if (body.PeriodTo is not { } to || to.Year < 2000)
        {
            errors.Add("periodTo", "is required: the last day of the period the opinion is about (a date)");
        }
        else if (body.PeriodFrom > to)
        {
            errors.Add("periodTo", "must not be before periodFrom");
        }
        errors.Required("opinion", body.Opinion, MaxOpinion);
        if (body.MeetingId == Guid.Empty)
        {
            errors.Add("meetingId", "is not a meeting id");
        }
    }
}

internal sealed class RecordOpinionHandler(PenalPolicyAccess access, IDbSession db, IMediator mediator) : IRequestHandler<RecordOpinion, OpinionDto>
{
    internal static class Sql
    {
        public const string Insert =
            "INSERT INTO pp_opinions (id, instance_id, measure, period_from, period_to, opinion, meeting_id, adopted_on, catalogue_version, recorded_by, recorded_at) " +
            "VALUES (@Id, @InstanceId, @Measure, @PeriodFrom, @PeriodTo, @Opinion, @MeetingId, @AdoptedOn, @CatalogueVersion, @RecordedBy, @RecordedAt)";
    }

    public async Task<OpinionDto> Handle(RecordOpinion request, CancellationToken cancellationToken)
    {
        await access.AsCoChairAsync(request.InstanceId, LegalRules.Opn1,
            "An opinion is the instance's, adopted in session: one of its co-chairs (the préfet or a procureur) records it.", cancellationToken);
        var body = request.Body;
        if (body.MeetingId is not { } meetingId)
        {
            throw new RuleViolationException(LegalRules.Opn1, "An opinion is adopted in session: meetingId names the held meeting of this instance that adopted it.");
        }
        var adoptedOn = await mediator.Send(new GetMeetingHeldOn(request.InstanceId, meetingId), cancellationToken)
            ?? throw new RuleViolationException(LegalRules.Opn1, "meetingId names no held meeting of this instance: an opinion is the instance's, adopted in session.");
        var measure = MeasureCatalogue.Find(body.Measure)!;
        var from = body.PeriodFrom!.Value;
        var to = body.PeriodTo!.Value;
        if (!measure.InForceDuring(from, to))
        {
            throw new RuleViolationException(LegalRules.Opn1,
                $"The {measure.Label} was not in force on any day from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} " +
                $"(in force {(measure.InForceFrom is { } f ? $"from {f:yyyy-MM-dd}" : "")}{(measure.InForceFrom is not null && measure.InForceUntil is not null ? " " : "")}" +
                $"{(measure.InForceUntil is { } u ? $"until {u:yyyy-MM-dd}" : "")}): an opinion is about a measure in force during its period.",
                new Dictionary<string, object?> { ["measure"] = measure.Code, ["inForceFrom"] = measure.InForceFrom, ["inForceUntil"] = measure.InForceUntil });
        }
        if (from > adoptedOn)
        {
            throw new RuleViolationException(LegalRules.Opn1,
                $"The meeting was held on {adoptedOn:yyyy-MM-dd}, before the period begins: an opinion is about how a measure was carried out.");
        }
        var dto = new OpinionDto(Guid.CreateVersion7(), request.InstanceId, measure.Code, measure.Label, from, to, body.Opinion!.Trim(), meetingId, adoptedOn,
            MeasureCatalogue.Version, access.Caller.OrganisationId, access.Now);
        await db.ExecuteAsync(Sql.Insert, new
        {
            dto.Id, dto.InstanceId, dto.Measure, dto.PeriodFrom, dto.PeriodTo, dto.Opinion, dto.MeetingId, dto.AdoptedOn, dto.CatalogueVersion, dto.RecordedBy,
            dto.RecordedAt,
        }, cancellationToken);
        return dto;
    }
}

internal static class RecordOpinionEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/instances/{id:guid}/alternative-measure-opinions", async (Guid id, OpinionBody body, IMediator mediator, CancellationToken ct) =>
            {
                var opinion = await mediator.Send(new RecordOpinion(id, body), ct);
                return Results.Created($"/api/v1/instances/{id}/alternative-measure-opinions?year={opinion.AdoptedOn.Year}", opinion);
            })
            .WithName("RecordAlternativeMeasureOpinion")
            .Audit("alternative-measure-opinion.create", AuditOperation.Collection, "alternative-measure-opinion", null, related: "id")
            .WithSummary("Record the instance's opinion, adopted in a held meeting, on how an art. 41-1 CPP measure was carried out over a period (co-chair; OPN-1)")
            .Produces<OpinionDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowPenalPolicy();
}
