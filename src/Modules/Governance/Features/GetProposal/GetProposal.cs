namespace EtatMajor.Modules.Governance.Features.GetProposal;

internal sealed record GetProposal(Guid InstanceId, Guid ProposalId) : IQuery<ProposalDto>, INotADisclosure;

internal sealed class GetProposalHandler(InstanceAccess access, IDbSession db) : IRequestHandler<GetProposal, ProposalDto>
{
    public async Task<ProposalDto> Handle(GetProposal request, CancellationToken cancellationToken)
    {
        await access.AsCoChairAsync(request.InstanceId, cancellationToken, administratorMayRead: true);
        var row = await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { request.InstanceId, Id = request.ProposalId }, cancellationToken);
        return row?.ToDto() ?? throw new NotFoundException("No such proposal.");
    }
}

internal static class GetProposalEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(ProposalRoutes.Base + "/{proposalId:guid}", (Guid id, Guid proposalId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetProposal(id, proposalId), ct))
            .WithName("GetProposal")
            .Audit("proposal.read", AuditOperation.Consultation, "association-proposal", "proposalId")
            .WithSummary("One association proposal (co-chairs and administrators)")
            .Produces<ProposalDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowCoChairsAndAdministrators();
}
