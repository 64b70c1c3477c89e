namespace EtatMajor.Modules.Governance.Features.RecordInternalRules;

/// <summary>
/// CONF-3: the préfet, who presides the CDPD, records the règlement intérieur the CDPD of his département
/// established on the proposal of the members of its working groups (`ProposedBy`). Without `InstanceIds` it
/// covers every EMS and CCOFSI of the département, present and future.
/// </summary>
internal sealed record RecordInternalRules(
    string? Departement, string? Version, DateOnly? AdoptedByCdpdOn, string? CdpdDeliberationReference, string? ProposedBy, DateOnly? InForceFrom,
    string? Text, Guid[]? InstanceIds)
    : ICommand<InternalRulesDto>, INotADisclosure;

internal sealed class RecordInternalRulesValidator : IValidator<RecordInternalRules>
{
    public const int MaxText = 200_000;
    public const int MaxInstances = 100;

    public void Validate(RecordInternalRules request, ValidationErrors errors)
    {
        if (!Territory.IsDepartement(request.Departement))
        {
            errors.Add("departement", Territory.DepartementHint);
        }
        errors.Required("version", request.Version, 50);
        errors.Required("cdpdDeliberationReference", request.CdpdDeliberationReference, 200);
        errors.Required("proposedBy", request.ProposedBy, 300);
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
        if (request.InstanceIds is { } ids)
        {
            if (ids.Length is 0 or > MaxInstances)
            {
                errors.Add("instanceIds", $"1 to {MaxInstances} instances of the département; omit it to cover all of them, present and future");
            }
            else if (ids.Distinct().Count() != ids.Length || ids.Contains(Guid.Empty))
            {
                errors.Add("instanceIds", "lists an instance twice or an empty id");
            }
        }
    }
}

internal sealed class RecordInternalRulesHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RecordInternalRules, InternalRulesDto>
{
    internal static class Sql
    {
        public const string VersionExists =
            "SELECT COUNT(*) FROM gov_internal_rules WHERE departement = @Departement AND version = @Version AND migrated_from_instance_id IS NULL";
        public const string InstancesOf = "SELECT id FROM gov_instances WHERE departement = @Departement";
        public const string Insert =
            "INSERT INTO gov_internal_rules (id, departement, version, adopted_by_cdpd_on, cdpd_deliberation_reference, proposed_by, in_force_from, " +
            "repealed_on, covers_all_instances, text, migrated_from_instance_id, recorded_by_organisation_id, recorded_at) VALUES (@Id, @Departement, @Version, " +
            "@AdoptedByCdpdOn, @CdpdDeliberationReference, @ProposedBy, @InForceFrom, NULL, @CoversAll, @Text, NULL, @RecordedBy, @RecordedAt)";
        public const string Cover = "INSERT INTO gov_internal_rules_instances (internal_rules_id, instance_id) VALUES (@Id, @InstanceId)";
    }

    public async Task<InternalRulesDto> Handle(RecordInternalRules request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var departement = request.Departement!;
        await PrefetOf.DepartementAsync(db, caller, departement, cancellationToken);
        var version = request.Version!.Trim();
        if (await db.QuerySingleOrDefaultAsync<int>(Sql.VersionExists, new { Departement = departement, Version = version }, cancellationToken) > 0)
        {
            throw new ConflictException($"Version '{version}' of the règlement intérieur of the département {departement} is already recorded.");
        }
        var instances = (await db.QueryAsync<Guid>(Sql.InstancesOf, new { Departement = departement }, cancellationToken)).ToHashSet();
        var foreign = (request.InstanceIds ?? []).Where(id => !instances.Contains(id)).ToList();
        if (foreign.Count > 0)
        {
            throw new UnprocessableException("instanceIds", $"These are not instances of the département {departement}: {string.Join(", ", foreign)}.")
            {
                Rule = LegalRules.Conf3,
            };
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(Sql.Insert, new
        {
            Id = id, Departement = departement, Version = version, AdoptedByCdpdOn = request.AdoptedByCdpdOn!.Value,
            CdpdDeliberationReference = request.CdpdDeliberationReference!.Trim(), ProposedBy = request.ProposedBy!.Trim(), InForceFrom = request.InForceFrom!.Value,
            CoversAll = request.InstanceIds is null, request.Text, RecordedBy = caller.OrganisationId, RecordedAt = clock.Instant(),
        }, cancellationToken);
        foreach (var instanceId in request.InstanceIds ?? [])
        {
            await db.ExecuteAsync(Sql.Cover, new { Id = id, InstanceId = instanceId }, cancellationToken);
        }
        return await InternalRulesReader.ToDtoAsync(db, (await db.QuerySingleOrDefaultAsync<InternalRulesRow>(InternalRulesSql.ById, new { Id = id }, cancellationToken))!,
            cancellationToken);
    }
}

/// <summary>The préfet of a département, who presides its CDPD: the only one who records or repeals its règlement.</summary>
internal static class PrefetOf
{
    public static async Task DepartementAsync(IDbSession db, Caller caller, string departement, CancellationToken cancellationToken)
    {
        var own = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = caller.OrganisationId }, cancellationToken);
        if (own is null || own.KindValue != OrganisationKind.Prefet || own.Departement != departement)
        {
            throw new ForbiddenException($"Only the préfet of the département {departement}, who presides its CDPD, records or repeals its règlement intérieur.")
            {
                Rule = LegalRules.Conf3,
            };
        }
    }
}

internal static class RecordInternalRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(InternalRulesRoutes.OfDepartement, async (RecordInternalRules body, IMediator mediator, CancellationToken ct) =>
            {
                var rules = await mediator.Send(body, ct);
                return Results.Created($"/api/v1/internal-rules/{rules.Id}", rules);
            })
            .WithName("RecordInternalRules")
            .Audit("internal-rules.create", AuditOperation.Collection, "internal-rules", null)
            .WithSummary("The préfet records the règlement intérieur established by the CDPD of his département, for all its instances or those listed (CONF-3)")
            .Produces<InternalRulesDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Governance, OrganisationKind.Prefet);
}
