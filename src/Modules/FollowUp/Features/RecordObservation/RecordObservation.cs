namespace EtatMajor.Modules.FollowUp.Features.RecordObservation;

/// <summary>A structured observation (CNIL 2020 guidance): which obligation, when, what was found, and a short note.</summary>
internal sealed record ObservationBody(Guid? ObligationId, DateOnly? ObservedOn, ObservationOutcome? Outcome, string? Note);

/// <summary>Where an observation goes: the designation's instance and its co-chairs, for a caller in the designation's circle (404 otherwise).</summary>
internal sealed record LocateDesignation(Guid DesignationId) : IQuery<DesignationCircle>, INotADisclosure;

internal sealed record DesignationCircle(Guid InstanceId, IReadOnlyList<Guid> CoChairs);

internal sealed class LocateDesignationHandler(DesignationAccess access) : IRequestHandler<LocateDesignation, DesignationCircle>
{
    public async Task<DesignationCircle> Handle(LocateDesignation request, CancellationToken cancellationToken)
    {
        var seen = await access.SeenAsync(request.DesignationId, cancellationToken);
        return new DesignationCircle(seen.Designation.InstanceId, seen.Circle.CoChairs.Select(c => c.OrganisationId).ToList());
    }
}

/// <summary>
/// An assigned service records what it observed on one of its obligations. A disclosure to the co-chairs: the policy
/// step decides it (FLOW-1 on the sender, CONF-1 with the designation's circle, CONF-2 on the note, CONF-3, CONF-4).
/// A note that would need a procureur's review (a mention of a piece of procedure) is refused rather than held: a
/// note of 280 characters is rewritten, not reviewed. A `breach-suspected` observation is at once an incident report
/// addressed to the procureur (FLOW-2).
/// </summary>
internal sealed record RecordObservation(Guid InstanceId, Guid DesignationId, IReadOnlyCollection<Guid> RecipientOrganisationIds, ObservationBody Body)
    : ICommand<ObservationDto>, IDisclosure
{
    public string Kind => FollowUpDisclosures.Observation;

    public DisclosureSubject? Subject => new(FollowUpDisclosures.Subject, DesignationId);

    public DisclosedContent Content => new([new DisclosedText("note", Body.Note ?? "")], []);
}

internal sealed class RecordObservationValidator : IValidator<RecordObservation>
{
    public const int MaxNote = 280;

    public void Validate(RecordObservation request, ValidationErrors errors)
    {
        var body = request.Body;
        if (body.ObligationId is null || body.ObligationId == Guid.Empty)
        {
            errors.Add("obligationId", "is required: one of the obligations assigned to this service");
        }
        if (body.ObservedOn is null)
        {
            errors.Add("observedOn", "is required (a date)");
        }
        if (body.Outcome is null)
        {
            errors.Add("outcome", "is required: respected, breach-suspected or not-verifiable");
        }
        errors.MaxLength("note", body.Note, MaxNote);
    }
}

internal sealed class RecordObservationHandler(DesignationAccess access, IDbSession db) : IRequestHandler<RecordObservation, ObservationDto>
{
    internal static class Sql
    {
        public const string Insert =
            "INSERT INTO fu_observations (id, designation_id, obligation_id, organisation_id, observed_on, outcome, note, recorded_at) " +
            "VALUES (@Id, @DesignationId, @ObligationId, @OrganisationId, @ObservedOn, @Outcome, @Note, @RecordedAt)";

        public const string InsertIncident =
            "INSERT INTO fu_incident_reports (id, instance_id, designation_id, observation_id, reported_at) VALUES (@Id, @InstanceId, @DesignationId, @ObservationId, @ReportedAt)";
    }

    public async Task<ObservationDto> Handle(RecordObservation request, CancellationToken cancellationToken)
    {
        var seen = await access.SeenAsync(request.DesignationId, cancellationToken);
        if (seen.IsCoChair)
        {
            throw new ForbiddenException("Observations are recorded by the services assigned to the obligation they observed.") { Rule = LegalRules.Des5 };
        }
        var body = request.Body;
        if (!(await access.AssignedObligationsAsync(seen, cancellationToken)).Contains(body.ObligationId!.Value))
        {
            throw new ForbiddenException("This service is not assigned to that obligation: it observes only the obligations assigned to it.") { Rule = LegalRules.Des5 };
        }
        DesignationAccess.EnsureOpen(seen);
        if (body.ObservedOn > access.Today)
        {
            throw new UnprocessableException("observedOn", "An observation is recorded once made: this date is in the future.");
        }
        var id = Guid.CreateVersion7();
        var note = body.Note?.Trim() ?? "";
        await db.ExecuteAsync(Sql.Insert, new
        {
            Id = id, request.DesignationId, body.ObligationId, access.Caller.OrganisationId, body.ObservedOn, Outcome = body.Outcome!.Value.ToKebab(), Note = note,
            RecordedAt = access.Now,
        }, cancellationToken);
        Guid? incident = null;
        if (body.Outcome == ObservationOutcome.BreachSuspected)
        {
            incident = Guid.CreateVersion7();
            await db.ExecuteAsync(Sql.InsertIncident, new
            {
                Id = incident, seen.Designation.InstanceId, request.DesignationId, ObservationId = id, ReportedAt = access.Now,
            }, cancellationToken);
        }
        return new ObservationDto(id, body.ObligationId.Value, access.Caller.OrganisationId, body.ObservedOn!.Value, body.Outcome.Value, note, access.Now, incident);
    }
}

internal static class RecordObservationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(FollowUpRoutes.Designation + "/observations", async (Guid did, ObservationBody body, IMediator mediator, CancellationToken ct) =>
            {
                var circle = await mediator.Send(new LocateDesignation(did), ct);
                var observation = await mediator.Send(new RecordObservation(circle.InstanceId, did, circle.CoChairs, body), ct);
                return Results.Created($"/api/v1/designations/{did}", observation);
            })
            .WithName("RecordObservation")
            .Audit("designation.observe", AuditOperation.Communication, "observation", null, related: "did")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Record a structured observation on an assigned obligation (assigned service; DES-5), sent to the co-chairs through the policy; a suspected breach becomes an incident report to the procureur (FLOW-2)")
            .Produces<ObservationDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowFollowUpWrite();
}
