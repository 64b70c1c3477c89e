namespace EtatMajor.Modules.Governance.Features.AddParticipant;

internal sealed record AddParticipantBody(Guid OrganisationId);

internal sealed record AddParticipant(Guid InstanceId, Guid OrganisationId) : ICommand<ParticipantDto>, INotADisclosure, ITargetsResource
{
    public string TargetResourceId => $"{InstanceId}/{OrganisationId}";
}

internal sealed class AddParticipantValidator : IValidator<AddParticipant>
{
    public void Validate(AddParticipant request, ValidationErrors errors) => errors.NotEmpty("organisationId", request.OrganisationId);
}

/// <summary>
/// A co-chair of an EMS adds a participant of its steering meetings (COMP-4): police, gendarmerie, DASEN, DDFiP
/// or douanes, a departmental service of the département. It becomes an attendee of meetings, never a recipient.
/// </summary>
internal sealed class AddParticipantHandler(InstanceAccess access, IDbSession db, TimeProvider clock) : IRequestHandler<AddParticipant, ParticipantDto>
{
    public async Task<ParticipantDto> Handle(AddParticipant request, CancellationToken cancellationToken)
    {
        var instance = await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        var organisation = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = request.OrganisationId }, cancellationToken)
            ?? throw new UnprocessableException("organisationId", "No organisation has this id.");
        var admission = Membership.AsParticipant(instance, organisation.KindValue);
        if (admission.Allowed)
        {
            admission = Membership.Territory(instance, organisation, LegalRules.Comp4);
        }
        if (!admission.Allowed)
        {
            throw admission.Refusal(new Dictionary<string, object?> { ["organisationKind"] = organisation.Kind });
        }
        var key = new { request.InstanceId, request.OrganisationId };
        if (await db.QuerySingleOrDefaultAsync<ParticipantRow>(ParticipantSql.One, key, cancellationToken) is not null)
        {
            throw new ConflictException("This organisation already takes part in the instance's steering meetings.");
        }
        var joinedAt = clock.Instant();
        await db.ExecuteAsync(ParticipantSql.Insert, new { Id = Guid.CreateVersion7(), request.InstanceId, request.OrganisationId, JoinedAt = joinedAt }, cancellationToken);
        return new ParticipantDto(request.InstanceId, organisation.Id, organisation.Code, organisation.Name, organisation.KindValue, joinedAt);
    }
}

internal static class AddParticipantEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(ParticipantRoutes.Base, async (Guid id, AddParticipantBody body, IMediator mediator, CancellationToken ct) =>
            {
                var participant = await mediator.Send(new AddParticipant(id, body.OrganisationId), ct);
                return Results.Created($"/api/v1/instances/{id}/participants/{participant.OrganisationId}", participant);
            })
            .WithName("AddParticipant")
            .Audit("participant.add", AuditOperation.Modification, "participant", null, related: "id")
            .WithSummary("Co-chairs of an EMS add a participant of its steering meetings: police, gendarmerie, DASEN, DDFiP or douanes (COMP-4); not a member")
            .Produces<ParticipantDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowCoChairs();
}
