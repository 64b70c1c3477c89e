using EtatMajor.Modules.Governance.Features.Instances;
using EtatMajor.Modules.Governance.Features.Members;
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

namespace EtatMajor.Modules.Governance.Features.InternalRules;

/// <summary>A version of the règlement intérieur adopted by the CDPD (CONF-3). `Text` is left out of lists.</summary>
internal sealed record InternalRulesDto(
    Guid Id, Guid InstanceId, string Version, DateOnly AdoptedByCdpdOn, string CdpdDeliberationReference, DateOnly InForceFrom,
    string? Text, DateTimeOffset RecordedAt);

internal sealed record AcknowledgementDto(Guid InternalRulesId, string Version, Guid OrganisationId, string Code, string Name, DateTimeOffset AcknowledgedAt);

internal sealed class InternalRulesRow
{
    public const string Columns =
        $"id AS {nameof(Id)}, instance_id AS {nameof(InstanceId)}, version AS {nameof(Version)}, adopted_by_cdpd_on AS {nameof(AdoptedByCdpdOn)}, " +
        $"cdpd_deliberation_reference AS {nameof(CdpdDeliberationReference)}, in_force_from AS {nameof(InForceFrom)}, recorded_at AS {nameof(RecordedAt)}";

    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public string Version { get; init; } = "";
    public DateOnly AdoptedByCdpdOn { get; init; }
    public string CdpdDeliberationReference { get; init; } = "";
    public DateOnly InForceFrom { get; init; }
    public string? Text { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    public InternalRulesDto ToDto() => new(Id, InstanceId, Version, AdoptedByCdpdOn, CdpdDeliberationReference, InForceFrom, Text, RecordedAt);
}

internal sealed class AcknowledgementRow
{
    public Guid InternalRulesId { get; init; }
    public string Version { get; init; } = "";
    public Guid OrganisationId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset AcknowledgedAt { get; init; }

    public AcknowledgementDto ToDto() => new(InternalRulesId, Version, OrganisationId, Code, Name, AcknowledgedAt);
}

internal static class InternalRulesSql
{
    public const string Page = $"SELECT {InternalRulesRow.Columns} FROM gov_internal_rules WHERE instance_id = @InstanceId " +
        "AND (@AfterDay IS NULL OR in_force_from > @AfterDay OR (in_force_from = @AfterDay AND id > @AfterId)) ORDER BY in_force_from, id LIMIT @Take";
    public const string One = $"SELECT {InternalRulesRow.Columns}, text AS {nameof(InternalRulesRow.Text)} FROM gov_internal_rules WHERE instance_id = @InstanceId AND id = @Id";

    /// <summary>The version in force on a date: the latest whose in_force_from has come.</summary>
    public const string InForce =
        $"SELECT {InternalRulesRow.Columns}, text AS {nameof(InternalRulesRow.Text)} FROM gov_internal_rules " +
        "WHERE instance_id = @InstanceId AND in_force_from <= @On ORDER BY in_force_from DESC, recorded_at DESC LIMIT @Take";

    public const string VersionExists = "SELECT COUNT(*) FROM gov_internal_rules WHERE instance_id = @InstanceId AND version = @Version";
    public const string Insert =
        "INSERT INTO gov_internal_rules (id, instance_id, version, adopted_by_cdpd_on, cdpd_deliberation_reference, in_force_from, text, " +
        "recorded_by_organisation_id, recorded_at) VALUES (@Id, @InstanceId, @Version, @AdoptedByCdpdOn, @CdpdDeliberationReference, " +
        "@InForceFrom, @Text, @RecordedBy, @RecordedAt)";

    private const string AcknowledgementSelect =
        $"SELECT a.internal_rules_id AS {nameof(AcknowledgementRow.InternalRulesId)}, r.version AS {nameof(AcknowledgementRow.Version)}, " +
        $"a.organisation_id AS {nameof(AcknowledgementRow.OrganisationId)}, o.code AS {nameof(AcknowledgementRow.Code)}, " +
        $"o.name AS {nameof(AcknowledgementRow.Name)}, a.acknowledged_at AS {nameof(AcknowledgementRow.AcknowledgedAt)} " +
        "FROM gov_rule_acknowledgements a JOIN gov_internal_rules r ON r.id = a.internal_rules_id JOIN gov_organisations o ON o.id = a.organisation_id " +
        "WHERE r.instance_id = @InstanceId";

    public const string AcknowledgementsPage = AcknowledgementSelect +
        " AND (@AfterAt IS NULL OR a.acknowledged_at > @AfterAt OR (a.acknowledged_at = @AfterAt AND a.organisation_id > @AfterId)) " +
        "ORDER BY a.acknowledged_at, a.organisation_id LIMIT @Take";
    public const string Acknowledgement = AcknowledgementSelect + " AND a.internal_rules_id = @InternalRulesId AND a.organisation_id = @OrganisationId";
    public const string Acknowledge =
        "INSERT INTO gov_rule_acknowledgements (internal_rules_id, organisation_id, acknowledged_at) VALUES (@InternalRulesId, @OrganisationId, @AcknowledgedAt)";
}

internal static class RulesInForce
{
    public static async Task<InternalRulesRow?> OnAsync(IDbSession db, Guid instanceId, DateOnly on, CancellationToken cancellationToken) =>
        (await db.QueryAsync<InternalRulesRow>(InternalRulesSql.InForce, new { InstanceId = instanceId, On = on, Take = 1 }, cancellationToken)).FirstOrDefault();
}

internal sealed record AdoptBody(string? Version, DateOnly? AdoptedByCdpdOn, string? CdpdDeliberationReference, DateOnly? InForceFrom, string? Text);

internal sealed record RecordInternalRules(
    Guid InstanceId, string? Version, DateOnly? AdoptedByCdpdOn, string? CdpdDeliberationReference, DateOnly? InForceFrom, string? Text)
    : ICommand<InternalRulesDto>;

internal sealed class RecordInternalRulesValidator : IValidator<RecordInternalRules>
{
    public const int MaxText = 200_000;

    public void Validate(RecordInternalRules request, ValidationErrors errors)
    {
        errors.Required("version", request.Version, 50);
        errors.Required("cdpdDeliberationReference", request.CdpdDeliberationReference, 200);
        errors.Required("text", request.Text, MaxText);
        if (request.AdoptedByCdpdOn is null)
        {
            errors.Add("adoptedByCdpdOn", "is required: the date the CDPD adopted it");
        }
        if (request.InForceFrom is null)
        {
            errors.Add("inForceFrom", "is required");
        }
        else if (request.AdoptedByCdpdOn is not null && request.InForceFrom < request.AdoptedByCdpdOn)
        {
            errors.Add("inForceFrom", "cannot precede the CDPD's adoption");
        }
    }
}

internal sealed class RecordInternalRulesHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RecordInternalRules, InternalRulesDto>
{
    public async Task<InternalRulesDto> Handle(RecordInternalRules request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await InstanceAccess.AsCoChairAsync(db, caller, request.InstanceId, cancellationToken);
        var version = request.Version!.Trim();
        if (await db.QuerySingleOrDefaultAsync<int>(InternalRulesSql.VersionExists, new { request.InstanceId, Version = version }, cancellationToken) > 0)
        {
            throw new ConflictException($"Version '{version}' of the règlement intérieur is already recorded.");
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(InternalRulesSql.Insert, new
        {
            Id = id, request.InstanceId, Version = version, AdoptedByCdpdOn = request.AdoptedByCdpdOn!.Value,
            CdpdDeliberationReference = request.CdpdDeliberationReference!.Trim(), InForceFrom = request.InForceFrom!.Value,
            request.Text, RecordedBy = caller.OrganisationId, RecordedAt = clock.Instant(),
        }, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<InternalRulesRow>(InternalRulesSql.One, new { request.InstanceId, Id = id }, cancellationToken))!.ToDto();
    }
}

internal sealed record ListInternalRules(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<InternalRulesDto>>;

internal sealed record GetInternalRules(Guid InstanceId, Guid? RulesId) : IQuery<InternalRulesDto>;

internal sealed class ListInternalRulesValidator : IValidator<ListInternalRules>
{
    public void Validate(ListInternalRules request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsDate);
}

internal sealed class ListInternalRulesHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<ListInternalRules, Page<InternalRulesDto>>
{
    public async Task<Page<InternalRulesDto>> Handle(ListInternalRules request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsMemberAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterDay, afterId) = Keyset.Date(page.After);
        var rows = await db.QueryAsync<InternalRulesRow>(InternalRulesSql.Page, new { request.InstanceId, AfterDay = afterDay, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), r => Keyset.Of(r.InForceFrom, r.Id));
    }
}

/// <summary>One version by id, or (no id) the one in force today — 404 when none is (CONF-3).</summary>
internal sealed class GetInternalRulesHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetInternalRules, InternalRulesDto>
{
    public async Task<InternalRulesDto> Handle(GetInternalRules request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsMemberAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var row = request.RulesId is { } id
            ? await db.QuerySingleOrDefaultAsync<InternalRulesRow>(InternalRulesSql.One, new { request.InstanceId, Id = id }, cancellationToken)
            : await RulesInForce.OnAsync(db, request.InstanceId, LegalCalendar.Today(clock), cancellationToken);
        return row?.ToDto() ?? throw (request.RulesId is null
            ? new NotFoundException($"No règlement intérieur is in force for this instance ({LegalRules.Conf3.Id}): no confidential exchange can take place.") { Rule = LegalRules.Conf3 }
            : new NotFoundException("No such version of the règlement intérieur."));
    }
}

internal sealed record Acknowledge(Guid InstanceId) : ICommand<AcknowledgementDto>;

internal sealed class AcknowledgeHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<Acknowledge, AcknowledgementDto>
{
    public async Task<AcknowledgementDto> Handle(Acknowledge request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await InstanceAccess.AsMemberAsync(db, caller, request.InstanceId, cancellationToken);
        var rules = await RulesInForce.OnAsync(db, request.InstanceId, LegalCalendar.Today(clock), cancellationToken)
            ?? throw new NotFoundException($"No règlement intérieur is in force for this instance ({LegalRules.Conf3.Id}).") { Rule = LegalRules.Conf3 };
        var key = new { request.InstanceId, InternalRulesId = rules.Id, caller.OrganisationId };
        if (await db.QuerySingleOrDefaultAsync<AcknowledgementRow>(InternalRulesSql.Acknowledgement, key, cancellationToken) is not null)
        {
            throw new ConflictException($"This organisation already acknowledged version '{rules.Version}'.");
        }
        await db.ExecuteAsync(InternalRulesSql.Acknowledge, new { InternalRulesId = rules.Id, caller.OrganisationId, AcknowledgedAt = clock.Instant() }, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<AcknowledgementRow>(InternalRulesSql.Acknowledgement, key, cancellationToken))!.ToDto();
    }
}

internal sealed record ListAcknowledgements(Guid InstanceId, int? Limit, string? Cursor) : IQuery<Page<AcknowledgementDto>>;

internal sealed class ListAcknowledgementsValidator : IValidator<ListAcknowledgements>
{
    public void Validate(ListAcknowledgements request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
}

internal sealed class ListAcknowledgementsHandler(IDbSession db, ICallerAccessor callers) : IRequestHandler<ListAcknowledgements, Page<AcknowledgementDto>>
{
    public async Task<Page<AcknowledgementDto>> Handle(ListAcknowledgements request, CancellationToken cancellationToken)
    {
        await InstanceAccess.AsMemberAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<AcknowledgementRow>(InternalRulesSql.AcknowledgementsPage,
            new { request.InstanceId, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToDto()).ToList(), a => Keyset.Of(a.AcknowledgedAt, a.OrganisationId));
    }
}

internal static class InternalRulesEndpoints
{
    private const string Base = "/api/v1/instances/{id:guid}/internal-rules";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Base, async (Guid id, AdoptBody body, IMediator mediator, CancellationToken ct) =>
            {
                var rules = await mediator.Send(new RecordInternalRules(id, body.Version, body.AdoptedByCdpdOn, body.CdpdDeliberationReference, body.InForceFrom, body.Text), ct);
                return Results.Created($"/api/v1/instances/{id}/internal-rules/{rules.Id}", rules);
            })
            .WithName("RecordInternalRules")
            .Audit("internal-rules.create", AuditOperation.Collection, "internal-rules", null)
            .WithSummary("A co-chair records a version of the règlement intérieur adopted by the CDPD (CONF-3)")
            .Produces<InternalRulesDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);

        app.MapGet(Base, (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) => mediator.Send(new ListInternalRules(id, limit, cursor), ct))
            .WithName("ListInternalRules")
            .Audit("internal-rules.list", AuditOperation.Consultation, "instance")
            .WithSummary("Every version of the règlement intérieur, by date of entry into force (without their text; cursor pagination)")
            .Produces<Page<InternalRulesDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();

        app.MapGet(Base + "/current", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetInternalRules(id, null), ct))
            .WithName("GetCurrentInternalRules")
            .Audit("internal-rules.read", AuditOperation.Consultation, "instance")
            .WithSummary("The règlement intérieur in force today (404 when none: no exchange can take place)")
            .Produces<InternalRulesDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();

        app.MapGet(Base + "/{rulesId:guid}", (Guid id, Guid rulesId, IMediator mediator, CancellationToken ct) => mediator.Send(new GetInternalRules(id, rulesId), ct))
            .WithName("GetInternalRules")
            .Audit("internal-rules.read", AuditOperation.Consultation, "internal-rules", "rulesId")
            .WithSummary("One version of the règlement intérieur")
            .Produces<InternalRulesDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();

        app.MapPost(Base + "/current/acknowledgements", async (Guid id, IMediator mediator, IAuditContext audit, CancellationToken ct) =>
            {
                var acknowledgement = await mediator.Send(new Acknowledge(id), ct);
                audit.ResourceId = acknowledgement.InternalRulesId.ToString();
                return Results.Created($"/api/v1/instances/{id}/internal-rules/acknowledgements", acknowledgement);
            })
            .WithName("AcknowledgeInternalRules")
            .Audit("internal-rules.acknowledge", AuditOperation.Collection, "internal-rules", null)
            .WithSummary("The calling member organisation acknowledges the règlement intérieur in force (CONF-4)")
            .Produces<AcknowledgementDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .Allow(Scopes.Governance).Allow(Scopes.Exchange).Allow(Scopes.FollowUp).Allow(Scopes.PenalPolicy);

        app.MapGet(Base + "/acknowledgements", (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListAcknowledgements(id, limit, cursor), ct))
            .WithName("ListAcknowledgements")
            .Audit("internal-rules.acknowledgements", AuditOperation.Consultation, "instance")
            .WithSummary("Who acknowledged which version of the règlement intérieur, oldest first (cursor pagination)")
            .Produces<Page<AcknowledgementDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();
    }
}
