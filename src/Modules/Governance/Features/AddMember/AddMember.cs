namespace EtatMajor.Modules.Governance.Features.AddMember;

internal sealed record AddMemberBody(Guid OrganisationId);

internal sealed record AddMember(Guid InstanceId, Guid OrganisationId) : ICommand<MemberDto>, INotADisclosure, ITargetsResource
{
    public string TargetResourceId => $"{InstanceId}/{OrganisationId}";
}

internal sealed class AddMemberValidator : IValidator<AddMember>
{
    public void Validate(AddMember request, ValidationErrors errors) => errors.NotEmpty("organisationId", request.OrganisationId);
}

/// <summary>
/// A co-chair adds a member: to an EMS, another procureur of the département, who co-chairs it (COMP-1); to a
/// CCOFSI, a force that intervenes in its ZSP (COMP-2). Any other organisation is refused with the route that
/// exists for it (participant, joint proposal, guest).
/// </summary>
internal sealed class AddMemberHandler(InstanceAccess access, IDbSession db, TimeProvider clock) : IRequestHandler<AddMember, MemberDto>
{
    public async Task<MemberDto> Handle(AddMember request, CancellationToken cancellationToken)
    {
        var instance = await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        var organisation = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = request.OrganisationId }, cancellationToken)
            ?? throw new UnprocessableException("organisationId", "No organisation has this id.");
        var extensions = new Dictionary<string, object?> { ["organisationKind"] = organisation.Kind };
        var admission = Membership.AsMember(instance, organisation.KindValue);
        if (admission.Allowed)
        {
            admission = Membership.Territory(instance, organisation, instance.KindValue == InstanceKind.Ems ? LegalRules.Comp1 : LegalRules.Comp2);
        }
        if (!admission.Allowed)
        {
            throw admission.Refusal(extensions);
        }
        if (await access.MemberAsync(request.InstanceId, request.OrganisationId, cancellationToken) is not null)
        {
            throw new ConflictException("This organisation is already a member of the instance.");
        }
        var role = organisation.KindValue == OrganisationKind.Procureur ? MemberRole.CoChair : MemberRole.Member;
        var joinedAt = clock.Instant();
        await db.ExecuteAsync(MemberSql.Insert, new
        {
            Id = Guid.CreateVersion7(), request.InstanceId, request.OrganisationId, Role = role.ToKebab(), JoinedAt = joinedAt, EndsAt = (DateTimeOffset?)null,
        }, cancellationToken);
        return new MemberDto(request.InstanceId, organisation.Id, organisation.Code, organisation.Name, organisation.KindValue, role, joinedAt);
    }
}

internal static class AddMemberEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/instances/{id:guid}/members", async (Guid id, AddMemberBody body, IMediator mediator, CancellationToken ct) =>
            {
                var member = await mediator.Send(new AddMember(id, body.OrganisationId), ct);
                return Results.Created($"/api/v1/instances/{id}/members/{member.OrganisationId}", member);
            })
            .WithName("AddMember")
            .Audit("member.add", AuditOperation.Modification, "member", null, related: "id")
            .WithSummary("Co-chairs add a member: to an EMS another procureur of the département (a co-chair, COMP-1); to a CCOFSI a force that intervenes in its ZSP (COMP-2)")
            .Produces<MemberDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowCoChairs();
}
