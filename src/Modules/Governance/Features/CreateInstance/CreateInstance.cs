namespace EtatMajor.Modules.Governance.Features.CreateInstance;

/// <summary>A ZSP: its name, its communes, and the forces that intervene in it (default: all three, COMP-2).</summary>
internal sealed record ZspInput(string? Name, string[]? Communes, OrganisationKind[]? Forces);

/// <summary>
/// `ProcureurOrganisationIds`: the procureur(s) of the département (an EMS of a département with several tribunaux
/// judiciaires has several, COMP-1; a CCOFSI exactly one). `ProcureurOrganisationId` (one procureur) is still
/// accepted in place of the list, as version 1 of the API had it.
/// </summary>
internal sealed record CreateInstance(
    InstanceKind? Kind, string? Departement, string? Name, Guid PrefetOrganisationId, Guid? ProcureurOrganisationId, Guid[]? ProcureurOrganisationIds,
    ZspInput? Zsp)
    : ICommand<InstanceDto>, INotADisclosure
{
    /// <summary>The procureurs, from the list or the single id: computed, not a member of the body.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Guid> Procureurs => ProcureurOrganisationIds ?? (ProcureurOrganisationId is { } one ? [one] : []);
}

internal sealed class CreateInstanceValidator : IValidator<CreateInstance>
{
    public const int MaxCommunes = 500;
    public const int MaxProcureurs = 10;

    public void Validate(CreateInstance request, ValidationErrors errors)
    {
        if (request.Kind is null)
        {
            errors.Add("kind", "is required: ems or ccofsi");
        }
        if (!Territory.IsDepartement(request.Departement))
        {
            errors.Add("departement", Territory.DepartementHint);
        }
        errors.Required("name", request.Name, 200);
        errors.NotEmpty("prefetOrganisationId", request.PrefetOrganisationId);
        ValidateProcureurs(request, errors);
        if (request.Kind == InstanceKind.Ems && request.Zsp is not null)
        {
            errors.Add("zsp", "an EMS is departemental and has no ZSP: omit zsp");
        }
        if (request.Kind == InstanceKind.Ccofsi)
        {
            ValidateZsp(request, errors);
        }
    }

    private static void ValidateProcureurs(CreateInstance request, ValidationErrors errors)
    {
        if (request.ProcureurOrganisationIds is not null && request.ProcureurOrganisationId is not null)
        {
            errors.Add("procureurOrganisationIds", "give the list procureurOrganisationIds or the single procureurOrganisationId, not both");
            return;
        }
        var procureurs = request.Procureurs;
        var field = request.ProcureurOrganisationIds is null && request.ProcureurOrganisationId is not null ? "procureurOrganisationId" : "procureurOrganisationIds";
        if (procureurs.Count == 0 || procureurs.Count > MaxProcureurs)
        {
            errors.Add(field, $"the procureur(s) de la République of the département are required (1 to {MaxProcureurs}), as this list or as the single procureurOrganisationId ({LegalRules.Comp1.Id})");
        }
        else if (request.Kind == InstanceKind.Ccofsi && procureurs.Count > 1)
        {
            errors.Add(field, $"a CCOFSI is co-chaired by the préfet and one procureur ({LegalRules.Comp2.Id})");
        }
        for (var i = 0; i < Math.Min(procureurs.Count, MaxProcureurs); i++)
        {
            if (procureurs[i] == Guid.Empty)
            {
                errors.Add(request.ProcureurOrganisationIds is null ? field : $"{field}[{i}]", "is not an organisation id");
            }
        }
        if (procureurs.Distinct().Count() != procureurs.Count)
        {
            errors.Add(field, "lists a procureur twice");
        }
    }

    private static void ValidateZsp(CreateInstance request, ValidationErrors errors)
    {
        if (request.Zsp is null)
        {
            errors.Add("zsp", $"is required for a CCOFSI, which belongs to a zone de sécurité prioritaire ({LegalRules.Comp2.Id}, {LegalRules.Comp2.LegalBasis})");
            return;
        }
        errors.Required("zsp.name", request.Zsp.Name, 200);
        var communes = request.Zsp.Communes ?? [];
        if (communes.Length is 0 or > MaxCommunes)
        {
            errors.Add("zsp.communes", $"between 1 and {MaxCommunes} INSEE commune codes");
        }
        for (var i = 0; i < Math.Min(communes.Length, MaxCommunes); i++)
        {
            if (!Territory.IsCommuneInsee(communes[i]))
            {
                errors.Add($"zsp.communes[{i}]", "is not a 5-character INSEE commune code");
            }
            else if (request.Departement is not null && !Territory.CommuneIsIn(communes[i], request.Departement))
            {
                errors.Add($"zsp.communes[{i}]", "is not a commune of the département");
            }
        }
        if (communes.Distinct(StringComparer.Ordinal).Count() != communes.Length)
        {
            errors.Add("zsp.communes", "lists a commune twice");
        }
        if (request.Zsp.Forces is { } forces)
        {
            if (forces.Length == 0 || forces.Any(f => !Membership.Forces.Contains(f)) || forces.Distinct().Count() != forces.Length)
            {
                errors.Add("zsp.forces",
                    $"the forces that intervene in the ZSP, each once, among police-nationale, gendarmerie-nationale and douanes (omit it for all three; {LegalRules.Comp2.Id})");
            }
        }
    }
}

internal sealed class CreateInstanceHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock)
    : IRequestHandler<CreateInstance, InstanceDto>
{
    internal static class Sql
    {
        public const string EmsExists = "SELECT COUNT(*) FROM gov_instances WHERE kind = 'ems' AND departement = @Departement";
        public const string ZspExists =
            "SELECT COUNT(*) FROM gov_instances WHERE kind = 'ccofsi' AND departement = @Departement AND zsp_name = @ZspName";
        public const string Insert =
            "INSERT INTO gov_instances (id, kind, departement, name, prefet_organisation_id, procureur_organisation_id, zsp_name, zsp_forces, created_at) " +
            "VALUES (@Id, @Kind, @Departement, @Name, @PrefetOrganisationId, @ProcureurOrganisationId, @ZspName, @ZspForces, @CreatedAt)";
        public const string InsertCommune = "INSERT INTO gov_zsp_communes (instance_id, commune_insee) VALUES (@InstanceId, @CommuneInsee)";
        public const string InsertMember =
            "INSERT INTO gov_instance_members (id, instance_id, organisation_id, role, joined_at, removed_at) " +
            "VALUES (@Id, @InstanceId, @OrganisationId, @Role, @JoinedAt, NULL)";
    }

    public async Task<InstanceDto> Handle(CreateInstance request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var departement = request.Departement!;
        if (!caller.IsAdministrator)
        {
            await EnsurePrefetOfDepartementAsync(caller, request, cancellationToken);
        }
        var prefet = await CoChairAsync(request.PrefetOrganisationId, "prefetOrganisationId", OrganisationKind.Prefet, departement, cancellationToken);
        var procureurs = new List<OrganisationRow>();
        foreach (var (procureurId, i) in request.Procureurs.Select((p, i) => (p, i)))
        {
            var field = request.ProcureurOrganisationIds is null ? "procureurOrganisationId" : $"procureurOrganisationIds[{i}]";
            procureurs.Add(await CoChairAsync(procureurId, field, OrganisationKind.Procureur, departement, cancellationToken));
        }

        var zspName = request.Zsp?.Name?.Trim();
        if (request.Kind == InstanceKind.Ems && await db.QuerySingleOrDefaultAsync<int>(Sql.EmsExists, new { Departement = departement }, cancellationToken) > 0)
        {
            throw new ConflictException($"The département {departement} already has its état-major de sécurité ({LegalRules.Comp1.Id}: one EMS per département).");
        }
        if (request.Kind == InstanceKind.Ccofsi
            && await db.QuerySingleOrDefaultAsync<int>(Sql.ZspExists, new { Departement = departement, ZspName = zspName }, cancellationToken) > 0)
        {
            throw new ConflictException($"The ZSP '{zspName}' already has its CCOFSI.");
        }

        var now = clock.Instant();
        var id = Guid.CreateVersion7();
        // COMP-2: the forces that intervene in the ZSP, in the catalogue's order; all three when not said.
        var forces = request.Kind == InstanceKind.Ccofsi
            ? Membership.Forces.Where(f => request.Zsp?.Forces is not { } declared || declared.Contains(f)).ToList()
            : [];
        await db.ExecuteAsync(Sql.Insert, new
        {
            Id = id, Kind = request.Kind!.Value.ToKebab(), Departement = departement, Name = request.Name!.Trim(),
            PrefetOrganisationId = prefet.Id, ProcureurOrganisationId = procureurs[0].Id, ZspName = zspName,
            ZspForces = forces.Count == 0 ? null : string.Join(' ', forces.Select(f => f.ToKebab())), CreatedAt = now,
        }, cancellationToken);
        var communes = request.Zsp?.Communes?.Order(StringComparer.Ordinal).ToList() ?? [];
        foreach (var commune in communes)
        {
            await db.ExecuteAsync(Sql.InsertCommune, new { InstanceId = id, CommuneInsee = commune }, cancellationToken);
        }
        // COMP-1: the co-chairs are members from creation.
        foreach (var coChair in procureurs.Prepend(prefet))
        {
            await db.ExecuteAsync(Sql.InsertMember, new
            {
                Id = Guid.CreateVersion7(), InstanceId = id, OrganisationId = coChair.Id, Role = MemberRole.CoChair.ToKebab(), JoinedAt = now,
            }, cancellationToken);
        }
        return new InstanceDto(id, request.Kind.Value, departement, request.Name.Trim(), prefet.Id, procureurs[0].Id, procureurs.Select(p => p.Id).ToList(),
            zspName is null ? null : new ZspDto(zspName, communes, forces), now);
    }

    /// <summary>A préfet creates the instances of its own département, as their co-chair.</summary>
    private async Task EnsurePrefetOfDepartementAsync(Caller caller, CreateInstance request, CancellationToken cancellationToken)
    {
        var own = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = caller.OrganisationId }, cancellationToken);
        if (own is null || own.KindValue != OrganisationKind.Prefet || own.Departement != request.Departement
            || caller.OrganisationId != request.PrefetOrganisationId)
        {
            throw new ForbiddenException("A préfet creates only the instances of its own département, of which it is the co-chair.")
            {
                Rule = LegalRules.Comp1,
            };
        }
    }

    private async Task<OrganisationRow> CoChairAsync(Guid id, string field, OrganisationKind expected, string departement, CancellationToken cancellationToken)
    {
        var organisation = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = id }, cancellationToken)
            ?? throw new UnprocessableException(field, "No organisation has this id.");
        if (organisation.KindValue != expected)
        {
            throw new RuleViolationException(LegalRules.Comp1,
                $"The co-chair given as {field} must be an organisation of kind {expected.ToKebab()}, not {organisation.Kind}.",
                new Dictionary<string, object?> { ["field"] = field });
        }
        if (organisation.Departement != departement)
        {
            throw new RuleViolationException(LegalRules.Comp1,
                $"The co-chair given as {field} must be of the département {departement}.",
                new Dictionary<string, object?> { ["field"] = field });
        }
        return organisation;
    }
}

internal static class CreateInstanceEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/instances", async (CreateInstance body, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(body, ct);
                return Results.Created($"/api/v1/instances/{created.Id}", created);
            })
            .WithName("CreateInstance")
            .Audit("instance.create", AuditOperation.Collection, "instance")
            .WithSummary("Create an EMS (one per département: the préfet and the procureur(s)) or a CCOFSI (one per ZSP, with the forces that intervene in it); the co-chairs become members")
            .Produces<InstanceDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur)
            .Allow(Scopes.Governance, OrganisationKind.Prefet);
}
