namespace EtatMajor.Modules.Governance.Features.RemoveParticipant;

internal sealed record RemoveParticipant(Guid InstanceId, Guid OrganisationId) : ICommand<Unit>, INotADisclosure;

internal sealed class RemoveParticipantHandler(InstanceAccess access, IDbSession db) : IRequestHandler<RemoveParticipant, Unit>
{
    public async Task<Unit> Handle(RemoveParticipant request, CancellationToken cancellationToken)
    {
        await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        var key = new { request.InstanceId, request.OrganisationId };
        if (await db.QuerySingleOrDefaultAsync<ParticipantRow>(ParticipantSql.One, key, cancellationToken) is null)
        {
            throw new NotFoundException("This organisation does not take part in the instance's steering meetings.");
        }
        await db.ExecuteAsync(ParticipantSql.Remove, new { request.InstanceId, request.OrganisationId, RemovedAt = access.Now }, cancellationToken);
        return Unit.Value;
    }
}

internal static class RemoveParticipantEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapDelete(ParticipantRoutes.Base + "/{organisationId:guid}", async (Guid id, Guid organisationId, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new RemoveParticipant(id, organisationId), ct);
                return Results.NoContent();
            })
            .WithName("RemoveParticipant")
            .Audit("participant.remove", AuditOperation.Modification, "participant", "id,organisationId")
            .WithSummary("Co-chairs remove a participant of the EMS's steering meetings")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowCoChairs();
}
