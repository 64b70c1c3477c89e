namespace EtatMajor.Modules.FollowUp.Features.RecordEvent;

/// <summary>FLOW-1: exactly these fields: a type from the closed list, a date, a provenance and a reference — no free text.</summary>
internal sealed record EventBody(FollowUpEventType? Type, DateOnly? OccurredOn, EventSource? Source, string? Reference);

/// <summary>
/// FLOW-1 (2016-569 QPC): what reaches the instance from the judicial side, recorded by a procureur co-chair, with
/// its effect on the follow-up: revoked, ended or changed ressort → closed; returned to detention → suspended;
/// released again → designated (active from its release date); an obligation modified → recorded only (the
/// obligation itself is changed with PUT …/obligations/{oid}).
/// </summary>
internal sealed record RecordEvent(Guid DesignationId, EventBody Body) : ICommand<EventDto>, INotADisclosure;

internal sealed class RecordEventValidator : IValidator<RecordEvent>
{
    public const int MaxReference = 60;

    public void Validate(RecordEvent request, ValidationErrors errors)
    {
        if (request.Body.Type is null)
        {
            errors.Add("type", "is required: obligation-modified, measure-revoked, returned-to-detention, released-again, change-of-ressort or measure-ended");
        }
        if (request.Body.OccurredOn is null)
        {
            errors.Add("occurredOn", "is required (a date)");
        }
        if (request.Body.Source is null)
        {
            errors.Add("source", "is required: jap, spip or trial-court");
        }
        errors.Required("reference", request.Body.Reference, MaxReference);
    }
}

internal sealed class RecordEventHandler(DesignationAccess access, IDbSession db) : IRequestHandler<RecordEvent, EventDto>
{
    internal static class Sql
    {
        /// <summary>Released again: designated, active from the new release date.</summary>
        public const string ReleasedAgain = "UPDATE fu_designations SET status = 'designated', released_on = @ReleasedOn WHERE id = @Id";
    }

    public async Task<EventDto> Handle(RecordEvent request, CancellationToken cancellationToken)
    {
        var seen = await access.AsProcureurAsync(request.DesignationId, cancellationToken);
        DesignationAccess.EnsureOpen(seen);
        var body = request.Body;
        if (body.OccurredOn > access.Today)
        {
            throw new UnprocessableException("occurredOn", "An event is recorded once it has happened: this date is in the future.") { Rule = LegalRules.Flow1 };
        }
        var designation = seen.Designation;
        var type = body.Type!.Value;
        switch (type)
        {
            case FollowUpEventType.ReturnedToDetention when designation.Stored == DesignationStatus.Suspended:
                throw new ConflictException("This follow-up is already suspended: the person is in detention.");
            case FollowUpEventType.ReturnedToDetention:
                await db.ExecuteAsync(DesignationSql.SetStatus, new { designation.Id, Status = DesignationStatus.Suspended.ToKebab() }, cancellationToken);
                break;
            case FollowUpEventType.ReleasedAgain when designation.Stored != DesignationStatus.Suspended:
                throw new ConflictException("Only a suspended follow-up (returned to detention) resumes on a new release.");
            case FollowUpEventType.ReleasedAgain:
                await db.ExecuteAsync(Sql.ReleasedAgain, new { designation.Id, ReleasedOn = body.OccurredOn }, cancellationToken);
                break;
            case FollowUpEventType.MeasureRevoked or FollowUpEventType.ChangeOfRessort or FollowUpEventType.MeasureEnded:
                var reason = type switch
                {
                    FollowUpEventType.MeasureRevoked => ClosureReason.Revoked,
                    FollowUpEventType.ChangeOfRessort => ClosureReason.ChangeOfRessort,
                    _ => ClosureReason.ObligationsEnded,
                };
                await DesignationSql.CloseAsync(db, designation.Id, body.OccurredOn!.Value, reason, access.Now, cancellationToken);
                break;
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(DesignationSql.InsertEvent, new
        {
            Id = id, DesignationId = designation.Id, Type = type.ToKebab(), body.OccurredOn, Source = body.Source!.Value.ToKebab(), Reference = body.Reference!.Trim(),
            RecordedBy = access.Caller.OrganisationId, RecordedAt = access.Now,
        }, cancellationToken);
        return new EventDto(id, type, body.OccurredOn!.Value, body.Source.Value, body.Reference.Trim(), access.Now);
    }
}

internal static class RecordEventEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(FollowUpRoutes.Designation + "/events", async (Guid did, EventBody body, IMediator mediator, CancellationToken ct) =>
            {
                var recorded = await mediator.Send(new RecordEvent(did, body), ct);
                return Results.Created($"/api/v1/designations/{did}", recorded);
            })
            .WithName("RecordFollowUpEvent")
            .Audit("designation.event", AuditOperation.Modification, "designation", "did")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Record an event from the judicial side, from a closed list and without free text (procureur co-chair; FLOW-1), with its effect on the status")
            .Produces<EventDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowFollowUpWrite();
}
