using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.Modules.Governance.Domain;
using EtatMajor.Modules.Governance.Features.Instances;
using EtatMajor.Modules.Governance.Features.Members;
using EtatMajor.Modules.Governance.Features.Organisations;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Law;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EtatMajor.Modules.Governance.Features.Proposals;

internal enum ProposalStatus
{
    AwaitingCosignature,
    Accepted,
    Rejected,
}

internal sealed record ProposalDto(
    Guid Id, Guid InstanceId, Guid OrganisationId, OrganisationKind OrganisationKind, string Rationale, ProposalStatus Status,
    Guid ProposedByOrganisationId, DateTimeOffset ProposedAt, Guid? DecidedByOrganisationId, DateTimeOffset? DecidedAt);

internal sealed class ProposalRow
{
    public const string Select =
        $"SELECT p.id AS {nameof(Id)}, p.instance_id AS {nameof(InstanceId)}, p.organisation_id AS {nameof(OrganisationId)}, " +
        $"o.kind AS {nameof(OrganisationKind)}, p.rationale AS {nameof(Rationale)}, p.status AS {nameof(Status)}, " +
        $"p.proposed_by_organisation_id AS {nameof(ProposedByOrganisationId)}, p.proposed_at AS {nameof(ProposedAt)}, " +
        $"p.decided_by_organisation_id AS {nameof(DecidedByOrganisationId)}, p.decided_at AS {nameof(DecidedAt)} " +
        "FROM gov_association_proposals p JOIN gov_organisations o ON o.id = p.organisation_id";

    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public Guid OrganisationId { get; init; }
    public string OrganisationKind { get; init; } = "";
    public string Rationale { get; init; } = "";
    public string Status { get; init; } = "";
    public Guid ProposedByOrganisationId { get; init; }
    public DateTimeOffset ProposedAt { get; init; }
    public Guid? DecidedByOrganisationId { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }

    public ProposalDto ToDto() => new(Id, InstanceId, OrganisationId, Kebab.Parse<OrganisationKind>(OrganisationKind), Rationale,
        Kebab.Parse<ProposalStatus>(Status), ProposedByOrganisationId, ProposedAt, DecidedByOrganisationId, DecidedAt);
}

internal static class ProposalSql
{
    public const string Page = ProposalRow.Select + " WHERE p.instance_id = @InstanceId " +
        "AND (@AfterAt IS NULL OR p.proposed_at > @AfterAt OR (p.proposed_at = @AfterAt AND p.id > @AfterId)) ORDER BY p.proposed_at, p.id LIMIT @Take";
    public const string One = ProposalRow.Select + " WHERE p.instance_id = @InstanceId AND p.id = @Id";
    public const string OpenFor =
        "SELECT COUNT(*) FROM gov_association_proposals WHERE instance_id = @InstanceId AND organisation_id = @OrganisationId AND status = 'awaiting-cosignature'";
    public const string Insert =
        "INSERT INTO gov_association_proposals (id, instance_id, organisation_id, rationale, status, proposed_by_organisation_id, proposed_at) " +
        "VALUES (@Id, @InstanceId, @OrganisationId, @Rationale, 'awaiting-cosignature', @ProposedBy, @ProposedAt)";
    public const string Decide =
        "UPDATE gov_association_proposals SET status = @Status, decided_by_organisation_id = @DecidedBy, decided_at = @DecidedAt " +
        "WHERE id = @Id AND status = 'awaiting-cosignature'";
    public const string InZsp = "SELECT COUNT(*) FROM gov_zsp_communes WHERE instance_id = @InstanceId AND commune_insee = @Commune";
}

internal sealed record ProposeBody(Guid OrganisationId, string? Rationale);

internal sealed record ProposeAssociation(Guid InstanceId, Guid OrganisationId, string? Rationale) : ICommand<ProposalDto>;

internal sealed record CosignProposal(Guid InstanceId, Guid ProposalId) : ICommand<ProposalDto>;

internal sealed record RejectProposal(Guid InstanceId, Guid ProposalId) : ICommand<ProposalDto>;

internal sealed record ListProposals(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<ProposalDto>>;

internal sealed record GetProposal(Guid InstanceId, Guid ProposalId) : IQuery<ProposalDto>;

internal sealed class ProposeAssociationValidator : IValidator<ProposeAssociation>
{
    public void Validate(ProposeAssociation request, ValidationErrors errors)
    {
        errors.NotEmpty("organisationId", request.OrganisationId);
        errors.Required("rationale", request.Rationale, 2000);
    }
}

internal sealed class ProposeAssociationHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock)
    : IRequestHandler<ProposeAssociation, ProposalDto>
{
    public async Task<ProposalDto> Handle(ProposeAssociation request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var instance = await InstanceAccess.AsCoChairAsync(db, caller, request.InstanceId, cancellationToken);
        var organisation = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = request.OrganisationId }, cancellationToken)
            ?? throw new UnprocessableException("organisationId", "No organisation has this id.");
        var kind = organisation.KindValue;
        if (!Membership.ByJointProposal(instance.KindValue, kind))
        {
            if (Membership.IsDirect(instance.KindValue, kind))
            {
                throw new RuleViolationException(Membership.CcofsiByRight.Contains(kind) ? LegalRules.Comp2 : LegalRules.Comp4,
                    "This organisation is associated by right: a co-chair adds it directly with POST /api/v1/instances/{id}/members.");
            }
            var (rule, detail) = Membership.WhyNotDirect(instance.KindValue, kind);
            throw new RuleViolationException(rule, detail);
        }
        if (kind == OrganisationKind.Maire)
        {
            await EnsureMayorOfTheTerritoryAsync(instance, organisation, cancellationToken);
        }
        if (await db.QuerySingleOrDefaultAsync<MemberRow>(MemberSql.One, new { request.InstanceId, request.OrganisationId }, cancellationToken) is not null)
        {
            throw new ConflictException("This organisation is already a member of the instance.");
        }
        if (await db.QuerySingleOrDefaultAsync<int>(ProposalSql.OpenFor, new { request.InstanceId, request.OrganisationId }, cancellationToken) > 0)
        {
            throw new ConflictException("A proposal for this organisation already awaits the other co-chair's signature.");
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(ProposalSql.Insert, new
        {
            Id = id, request.InstanceId, request.OrganisationId, Rationale = request.Rationale!.Trim(), ProposedBy = caller.OrganisationId,
            ProposedAt = clock.Instant(),
        }, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { request.InstanceId, Id = id }, cancellationToken))!.ToDto();
    }

    /// <summary>COMP-3: the mayors of the communes concerned — of the ZSP for a CCOFSI, of the département for an EMS.</summary>
    private async Task EnsureMayorOfTheTerritoryAsync(InstanceRow instance, OrganisationRow mayor, CancellationToken cancellationToken)
    {
        var commune = mayor.CommuneInsee ?? "";
        var concerned = instance.KindValue == InstanceKind.Ccofsi
            ? await db.QuerySingleOrDefaultAsync<int>(ProposalSql.InZsp, new { InstanceId = instance.Id, Commune = commune }, cancellationToken) > 0
            : Territory.CommuneIsIn(commune, instance.Departement);
        if (!concerned)
        {
            throw new RuleViolationException(LegalRules.Comp3, instance.KindValue == InstanceKind.Ccofsi
                ? $"The commune {commune} is not one of the communes of the ZSP: only their mayors may be associated."
                : $"The commune {commune} is not in the département {instance.Departement}: only its mayors may be associated.");
        }
    }
}

internal sealed class CosignProposalHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<CosignProposal, ProposalDto>
{
    public async Task<ProposalDto> Handle(CosignProposal request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await InstanceAccess.AsCoChairAsync(db, caller, request.InstanceId, cancellationToken);
        var proposal = await ProposalDecision.OpenAsync(db, request.InstanceId, request.ProposalId, cancellationToken);
        if (proposal.ProposedByOrganisationId == caller.OrganisationId)
        {
            throw new ForbiddenException("The co-chair who proposed cannot co-sign: the other co-chair must.") { Rule = LegalRules.Comp3 };
        }
        var now = clock.Instant();
        await ProposalDecision.DecideAsync(db, proposal, ProposalStatus.Accepted, caller.OrganisationId, now, cancellationToken);
        await db.ExecuteAsync(MemberSql.Insert, new
        {
            Id = Guid.CreateVersion7(), proposal.InstanceId, proposal.OrganisationId, Role = MemberRole.Member.ToKebab(), JoinedAt = now,
        }, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { request.InstanceId, Id = request.ProposalId }, cancellationToken))!.ToDto();
    }
}

internal sealed class RejectProposalHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RejectProposal, ProposalDto>
{
    public async Task<ProposalDto> Handle(RejectProposal request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await InstanceAccess.AsCoChairAsync(db, caller, request.InstanceId, cancellationToken);
        var proposal = await ProposalDecision.OpenAsync(db, request.InstanceId, request.ProposalId, cancellationToken);
        await ProposalDecision.DecideAsync(db, proposal, ProposalStatus.Rejected, caller.OrganisationId, clock.Instant(), cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { request.InstanceId, Id = request.ProposalId }, cancellationToken))!.ToDto();
    }
}

internal static class ProposalDecision
{
    public static async Task<ProposalRow> OpenAsync(IDbSession db, Guid instanceId, Guid proposalId, CancellationToken cancellationToken)
    {
        var proposal = await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { InstanceId = instanceId, Id = proposalId }, cancellationToken)
            ?? throw new NotFoundException("No such proposal.");
        if (proposal.Status != ProposalStatus.AwaitingCosignature.ToKebab())
        {
            throw new ConflictException($"This proposal is already {proposal.Status}.");
        }
        return proposal;
    }

    public static async Task DecideAsync(IDbSession db, ProposalRow proposal, ProposalStatus status, Guid decidedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var changed = await db.ExecuteAsync(ProposalSql.Decide, new { proposal.Id, Status = status.ToKebab(), DecidedBy = decidedBy, DecidedAt = at }, cancellationToken);
        if (changed != 1)
        {
            throw new ConflictException("This proposal was decided meanwhile.");
        }
    }
}

internal sealed class ListProposalsValidator : IValidator<ListProposals>
{
    public void Validate(ListProposals request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListProposalsHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<ListProposals, Page<ProposalDto>>
{
    public async Task<Page<ProposalDto>> Handle(ListProposals request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsCoChairAsync(db, callers.Required, request.InstanceId, cancellationToken, administratorMayRead: true);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<ProposalRow>(ProposalSql.Page, new { request.InstanceId, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), p => Keyset.Of(p.ProposedAt, p.Id));
    }
}

internal sealed class GetProposalHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<GetProposal, ProposalDto>
{
    public async Task<ProposalDto> Handle(GetProposal request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsCoChairAsync(db, callers.Required, request.InstanceId, cancellationToken, administratorMayRead: true);
        var row = await db.QuerySingleOrDefaultAsync<ProposalRow>(ProposalSql.One, new { request.InstanceId, Id = request.ProposalId }, cancellationToken);
        return row?.ToDto() ?? throw new NotFoundException("No such proposal.");
    }
}

internal static class ProposalEndpoints
{
    private static TBuilder AllowCoChairsAndAdministrators<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.Admin, OrganisationKind.Administrateur).Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);

    private const string Base = "/api/v1/instances/{id:guid}/association-proposals";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Base, async (Guid id, ProposeBody body, IMediator mediator, CancellationToken ct) =>
            {
                var proposal = await mediator.Send(new ProposeAssociation(id, body.OrganisationId, body.Rationale), ct);
                return Results.Created($"/api/v1/instances/{id}/association-proposals/{proposal.Id}", proposal);
            })
            .WithName("ProposeAssociation")
            .Audit("proposal.create", AuditOperation.Collection, "association-proposal", null)
            .WithSummary("A co-chair proposes to associate a mayor, the SPIP, the PJJ or another State administration (COMP-3)")
            .Produces<ProposalDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);

        app.MapPost(Base + "/{proposalId:guid}/cosign", (Guid id, Guid proposalId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new CosignProposal(id, proposalId), ct))
            .WithName("CosignProposal")
            .Audit("proposal.cosign", AuditOperation.Modification, "association-proposal", "proposalId")
            .WithSummary("The other co-chair co-signs: the organisation becomes a member (the proposer cannot co-sign: 403)")
            .Produces<ProposalDto>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);

        app.MapPost(Base + "/{proposalId:guid}/reject", (Guid id, Guid proposalId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new RejectProposal(id, proposalId), ct))
            .WithName("RejectProposal")
            .Audit("proposal.reject", AuditOperation.Modification, "association-proposal", "proposalId")
            .WithSummary("Either co-chair rejects a proposal awaiting co-signature")
            .Produces<ProposalDto>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);

        app.MapGet(Base, (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) => mediator.Send(new ListProposals(id, limit, cursor), ct))
            .WithName("ListProposals")
            .Audit("proposal.list", AuditOperation.Consultation, "instance")
            .WithSummary("The association proposals of an instance, oldest first (co-chairs and administrators; cursor pagination)")
            .Produces<Page<ProposalDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowCoChairsAndAdministrators();

        app.MapGet(Base + "/{proposalId:guid}", (Guid id, Guid proposalId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetProposal(id, proposalId), ct))
            .WithName("GetProposal")
            .Audit("proposal.read", AuditOperation.Consultation, "association-proposal", "proposalId")
            .WithSummary("One association proposal (co-chairs and administrators)")
            .Produces<ProposalDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowCoChairsAndAdministrators();
    }
}
