using EtatMajor.Modules.Governance.Domain;
using EtatMajor.Modules.Governance.Features.Instances;
using EtatMajor.Modules.Governance.Features.Organisations;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EtatMajor.Modules.Governance.Features.Members;

internal sealed record MemberDto(Guid OrganisationId, string Code, string Name, OrganisationKind Kind, MemberRole Role, DateTimeOffset JoinedAt);

internal sealed record ListMembers(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<MemberDto>>;

internal sealed record GetMember(Guid InstanceId, Guid OrganisationId) : IQuery<MemberDto>;

internal sealed record AddMemberBody(Guid OrganisationId);

internal sealed record AddMember(Guid InstanceId, Guid OrganisationId) : ICommand<MemberDto>;

internal sealed record RemoveMember(Guid InstanceId, Guid OrganisationId) : ICommand<Unit>;

internal sealed class MemberRow
{
    public Guid OrganisationId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Role { get; init; } = "";
    public DateTimeOffset JoinedAt { get; init; }

    public MemberDto ToDto() => new(OrganisationId, Code, Name, Kebab.Parse<OrganisationKind>(Kind), Kebab.Parse<MemberRole>(Role), JoinedAt);
}

internal static class MemberSql
{
    private const string Select =
        $"SELECT o.id AS {nameof(MemberRow.OrganisationId)}, o.code AS {nameof(MemberRow.Code)}, o.name AS {nameof(MemberRow.Name)}, " +
        $"o.kind AS {nameof(MemberRow.Kind)}, m.role AS {nameof(MemberRow.Role)}, m.joined_at AS {nameof(MemberRow.JoinedAt)} " +
        "FROM gov_instance_members m JOIN gov_organisations o ON o.id = m.organisation_id " +
        "WHERE m.instance_id = @InstanceId AND m.removed_at IS NULL";

    /// <summary>Current members, in the order they joined (the co-chairs first, from the creation).</summary>
    public const string Page = Select +
        " AND (@AfterAt IS NULL OR m.joined_at > @AfterAt OR (m.joined_at = @AfterAt AND m.organisation_id > @AfterId)) " +
        "ORDER BY m.joined_at, m.organisation_id LIMIT @Take";
    public const string One = Select + " AND m.organisation_id = @OrganisationId";
    public const string Insert =
        "INSERT INTO gov_instance_members (id, instance_id, organisation_id, role, joined_at, removed_at) " +
        "VALUES (@Id, @InstanceId, @OrganisationId, @Role, @JoinedAt, NULL)";
    public const string Remove =
        "UPDATE gov_instance_members SET removed_at = @RemovedAt WHERE instance_id = @InstanceId AND organisation_id = @OrganisationId AND removed_at IS NULL";
}

internal sealed class AddMemberValidator : IValidator<AddMember>
{
    public void Validate(AddMember request, ValidationErrors errors) => errors.NotEmpty("organisationId", request.OrganisationId);
}

internal sealed class ListMembersValidator : IValidator<ListMembers>
{
    public void Validate(ListMembers request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListMembersHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<ListMembers, Page<MemberDto>>
{
    public async Task<Page<MemberDto>> Handle(ListMembers request, CancellationToken cancellationToken)
    {
        await InstanceAccess.VisibleAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<MemberRow>(MemberSql.Page, new { request.InstanceId, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), m => Keyset.Of(m.JoinedAt, m.OrganisationId));
    }
}

internal sealed class GetMemberHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<GetMember, MemberDto>
{
    public async Task<MemberDto> Handle(GetMember request, CancellationToken cancellationToken)
    {
        await InstanceAccess.VisibleAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<MemberRow>(MemberSql.One, new { request.InstanceId, request.OrganisationId }, cancellationToken);
        return row?.ToDto() ?? throw new NotFoundException("This organisation is not a member of the instance.");
    }
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
        return new MemberDto(organisation.Id, organisation.Code, organisation.Name, organisation.KindValue, MemberRole.Member, joinedAt);
    }
}

internal sealed class RemoveMemberHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RemoveMember, Unit>
{
    public async Task<Unit> Handle(RemoveMember request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsCoChairAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var member = await db.QuerySingleOrDefaultAsync<MemberRow>(MemberSql.One, new { request.InstanceId, request.OrganisationId }, cancellationToken)
            ?? throw new NotFoundException("This organisation is not a member of the instance.");
        if (member.Role == MemberRole.CoChair.ToKebab())
        {
            throw new RuleViolationException(SharedKernel.Law.LegalRules.Comp1,
                "A co-chair (préfet or procureur) cannot be removed: the instance is co-chaired by both.");
        }
        // From this instant the organisation is a third party, also for what it received before (CONF-1).
        await db.ExecuteAsync(MemberSql.Remove, new { request.InstanceId, request.OrganisationId, RemovedAt = clock.Instant() }, cancellationToken);
        return Unit.Value;
    }
}

internal static class MemberEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/instances/{id:guid}/members", (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListMembers(id, limit, cursor), ct))
            .WithName("ListMembers")
            .Audit("member.list", AuditOperation.Consultation, "instance")
            .WithSummary("Current members of an instance, in the order they joined (members and administrators; cursor pagination)")
            .Produces<Page<MemberDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembersAndAdministrators();

        app.MapGet("/api/v1/instances/{id:guid}/members/{organisationId:guid}", (Guid id, Guid organisationId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetMember(id, organisationId), ct))
            .WithName("GetMember")
            .Audit("member.read", AuditOperation.Consultation, "member", "id,organisationId")
            .WithSummary("One current member of an instance")
            .Produces<MemberDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembersAndAdministrators();

        app.MapPost("/api/v1/instances/{id:guid}/members", async (Guid id, AddMemberBody body, IMediator mediator, IAuditContext audit, CancellationToken ct) =>
            {
                audit.ResourceId = $"{id}/{body.OrganisationId}";
                var member = await mediator.Send(new AddMember(id, body.OrganisationId), ct);
                return Results.Created($"/api/v1/instances/{id}/members/{member.OrganisationId}", member);
            })
            .WithName("AddMember")
            .Audit("member.add", AuditOperation.Modification, "member")
            .WithSummary("Associate a force by right (police, gendarmerie, douanes; for an EMS also DASEN, DDFiP): co-chairs only")
            .Produces<MemberDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);

        app.MapDelete("/api/v1/instances/{id:guid}/members/{organisationId:guid}", async (Guid id, Guid organisationId, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new RemoveMember(id, organisationId), ct);
                return Results.NoContent();
            })
            .WithName("RemoveMember")
            .Audit("member.remove", AuditOperation.Modification, "member", "id,organisationId")
            .WithSummary("Remove a member (co-chairs only; a co-chair cannot be removed)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);
    }
}
