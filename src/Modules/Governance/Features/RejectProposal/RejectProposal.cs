namespace EtatMajor.Modules.Governance.Features.RejectProposal;

internal sealed record RejectProposal(Guid InstanceId, Guid ProposalId) : ICommand<ProposalDto>, INotADisclosure;

internal sealed class RejectProposalHandler(InstanceAccess access, IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RejectProposal, ProposalDto>
{
    public async Task<ProposalDto> Handle(RejectProposal request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await access.AsCoChairAsync(request.InstanceId, cancellationToken);
        var proposal = await ProposalDecision.OpenAsync(db, request.InstanceId, request.ProposalId, cancellationToken);
        await ProposalDecision.DecideAsync(db, proposal, ProposalStatus.Rejected, caller.OrganisationId, clock.Instant(), cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { request.InstanceId, Id = request.ProposalId }, cancellationToken))!.ToDto();
    }
}

internal static class RejectProposalEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(ProposalRoutes.Base + "/{proposalId:guid}/reject", (Guid id, Guid proposalId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new RejectProposal(id, proposalId), ct))
            .WithName("RejectProposal")
            .Audit("proposal.reject", AuditOperation.Modification, "association-proposal", "proposalId")
            .WithSummary("Either co-chair rejects a proposal awaiting co-signature")
            .Produces<ProposalDto>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AllowCoChairs();
}
