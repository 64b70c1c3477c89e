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

internal sealed class AddMemberHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<AddMember, MemberDto>
{
    public async Task<MemberDto> Handle(AddMember request, CancellationToken cancellationToken)
    {
        var instance = await InstanceAccess.AsCoChairAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var organisation = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = request.OrganisationId }, cancellationToken)
            ?? throw new UnprocessableException("organisationId", "No organisation has this id.");
        if (!Membership.IsDirect(instance.KindValue, organisation.KindValue))
        {
            var (rule, detail) = Membership.WhyNotDirect(instance.KindValue, organisation.KindValue);
            throw new RuleViolationException(rule, detail, new Dictionary<string, object?> { ["organisationKind"] = organisation.Kind });
        }
        if (await db.QuerySingleOrDefaultAsync<MemberRow>(MemberSql.One, new { request.InstanceId, request.OrganisationId }, cancellationToken) is not null)
        {
            throw new ConflictException("This organisation is already a member of the instance.");
        }
        var joinedAt = clock.Instant();
        await db.ExecuteAsync(MemberSql.Insert, new
        {
            Id = Guid.CreateVersion7(), request.InstanceId, request.OrganisationId, Role = MemberRole.Member.ToKebab(), JoinedAt = joinedAt,
        }, cancellationToken);
        return new MemberDto(request.InstanceId, organisation.Id, organisation.Code, organisation.Name, organisation.KindValue, MemberRole.Member, joinedAt);
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
            .WithSummary("Associate a force by right (police, gendarmerie, douanes; for an EMS also DASEN, DDFiP): co-chairs only")
            .Produces<MemberDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowCoChairs();
}
