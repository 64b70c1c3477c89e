namespace EtatMajor.Modules.Governance.Features.CosignProposal;

internal sealed record CosignProposal(Guid InstanceId, Guid ProposalId) : ICommand<ProposalDto>, INotADisclosure;

internal sealed class CosignProposalHandler(InstanceAccess access, IDbSession db, ICallerAccessor callers, TimeProvider clock)
    : IRequestHandler<CosignProposal, ProposalDto>
{
    public async Task<ProposalDto> Handle(CosignProposal request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        var proposal = await ProposalDecision.OpenAsync(db, request.InstanceId, request.ProposalId, cancellationToken);
        if (proposal.ProposedByOrganisationId == caller.OrganisationId)
        {
            throw new ForbiddenException("The co-chair who proposed cannot co-sign: the other co-chair must.") { Rule = LegalRules.Comp3 };
        }
        if (proposal.Until is { } until && until < LegalCalendar.Today(clock))
        {
            throw new RuleViolationException(LegalRules.Comp3, $"The association was proposed until {until:yyyy-MM-dd}, which has passed: propose it again.");
        }
        var now = clock.Instant();
        await ProposalDecision.DecideAsync(db, proposal, ProposalStatus.Accepted, caller.OrganisationId, now, cancellationToken);
        // An association until a date ends by itself at the end of that day (Paris): its removal is recorded now,
        // for then, so that from that instant it is a third party like any removed member (CONF-1).
        await db.ExecuteAsync(MemberSql.Insert, new
        {
            Id = Guid.CreateVersion7(), proposal.InstanceId, proposal.OrganisationId, Role = MemberRole.Member.ToKebab(), JoinedAt = now,
            EndsAt = proposal.Until is { } last ? LegalCalendar.StartOf(last.AddDays(1)) : (DateTimeOffset?)null,
        }, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { request.InstanceId, Id = request.ProposalId }, cancellationToken))!.ToDto();
    }
}

internal static class CosignProposalEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(ProposalRoutes.Base + "/{proposalId:guid}/cosign", (Guid id, Guid proposalId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new CosignProposal(id, proposalId), ct))
            .WithName("CosignProposal")
            .Audit("proposal.cosign", AuditOperation.Modification, "association-proposal", "proposalId")
            .WithSummary("The other co-chair co-signs: the organisation becomes a member (the proposer cannot co-sign: 403)")
            .Produces<ProposalDto>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AllowCoChairs();
}
