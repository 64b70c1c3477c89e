namespace EtatMajor.Modules.Governance.Domain;

/// <summary>A ZSP: its name, its communes, and the forces that intervene in it (COMP-2).</summary>
internal sealed record ZspDto(string Name, IReadOnlyList<string> Communes, IReadOnlyList<OrganisationKind> Forces);

/// <summary>
/// An instance; <c>Composition</c> is given when one instance is read (COMP-2, COMP-4), not in lists.
/// `ProcureurOrganisationIds` are the procureurs co-chairing it (an EMS of a département with several tribunaux
/// judiciaires has several, COMP-1); `ProcureurOrganisationId` is the first of them, kept for clients of version 1.
/// </summary>
internal sealed record InstanceDto(
    Guid Id, InstanceKind Kind, string Departement, string Name, Guid PrefetOrganisationId, Guid ProcureurOrganisationId,
    IReadOnlyList<Guid> ProcureurOrganisationIds, ZspDto? Zsp, DateTimeOffset CreatedAt, CompositionDto? Composition = null) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed class InstanceRow
{
    public const string Columns =
        $"i.id AS {nameof(Id)}, i.kind AS {nameof(Kind)}, i.departement AS {nameof(Departement)}, i.name AS {nameof(Name)}, " +
        $"i.prefet_organisation_id AS {nameof(PrefetOrganisationId)}, i.procureur_organisation_id AS {nameof(ProcureurOrganisationId)}, " +
        $"i.zsp_name AS {nameof(ZspName)}, i.zsp_forces AS {nameof(ZspForces)}, i.created_at AS {nameof(CreatedAt)}";

    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public string Departement { get; init; } = "";
    public string Name { get; init; } = "";
    public Guid PrefetOrganisationId { get; init; }
    public Guid ProcureurOrganisationId { get; init; }
    public string? ZspName { get; init; }
    public string? ZspForces { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The caller's role in the instance when it is a current member (only in <see cref="InstanceAccess"/>).</summary>
    public string? CallerRole { get; init; }

    public InstanceKind KindValue => Kebab.Parse<InstanceKind>(Kind);

    /// <summary>COMP-2: the forces that intervene in the ZSP of a CCOFSI (none for an EMS).</summary>
    public IReadOnlyList<OrganisationKind> Forces => ZspForces is null ? [] : ZspForces.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Kebab.Parse<OrganisationKind>).ToList();

    public InstanceDto ToDto(IReadOnlyList<string> communes, IReadOnlyList<Guid> procureurs) => new(Id, KindValue, Departement, Name, PrefetOrganisationId,
        procureurs.Count > 0 ? procureurs[0] : ProcureurOrganisationId, procureurs.Count > 0 ? procureurs : [ProcureurOrganisationId], ZspName is null ? null : new ZspDto(ZspName, communes, Forces),
        CreatedAt);
}

/// <summary>
/// The object-level check of every instance endpoint: the instance as the caller may know it, at the request's
/// instant (an association proposed "until" a date ends by itself). A stranger (not a current member, not an
/// administrator) gets 404, exactly as if the instance did not exist. Scoped to the request.
/// </summary>
internal sealed class InstanceAccess(IDbSession db, ICallerAccessor callers, TimeProvider clock)
{
    internal static class Sql
    {
        public const string ForCaller =
            $"SELECT {InstanceRow.Columns}, m.role AS {nameof(InstanceRow.CallerRole)} FROM gov_instances i " +
            "LEFT JOIN gov_instance_members m ON m.instance_id = i.id AND m.organisation_id = @OrganisationId AND " + MemberSql.Current + " " +
            "WHERE i.id = @Id";
        public const string Communes = "SELECT commune_insee FROM gov_zsp_communes WHERE instance_id = @Id ORDER BY commune_insee";
        public const string MemberKinds =
            $"SELECT o.kind AS {nameof(KindRole.Kind)}, o.id AS {nameof(KindRole.OrganisationId)}, m.role AS {nameof(KindRole.Role)} " +
            "FROM gov_instance_members m JOIN gov_organisations o ON o.id = m.organisation_id " +
            "WHERE m.instance_id = @Id AND " + MemberSql.Current + " ORDER BY m.joined_at, o.id";

        /// <summary>
        /// One instance's composition in one statement (issue 13: a statement less on every read of an instance): its
        /// current members in the order they joined, its participants (an EMS) and its communes (a CCOFSI).
        /// </summary>
        public const string Composition =
            $"SELECT 'member' AS {nameof(Part.Kind)}, o.kind AS {nameof(Part.Value)}, o.id AS {nameof(Part.OrganisationId)}, m.role AS {nameof(Part.Role)}, m.joined_at AS JoinedAt " +
            "FROM gov_instance_members m JOIN gov_organisations o ON o.id = m.organisation_id WHERE m.instance_id = @Id AND " + MemberSql.Current + " " +
            "UNION ALL " +
            "SELECT 'participant', o.kind, o.id, NULL, NULL " +
            "FROM gov_instance_participants p JOIN gov_organisations o ON o.id = p.organisation_id WHERE p.instance_id = @Id AND p.removed_at IS NULL " +
            "UNION ALL " +
            "SELECT 'zsp-commune', c.commune_insee, NULL, NULL, NULL FROM gov_zsp_communes c WHERE c.instance_id = @Id " +
            "ORDER BY 1, 5, 3, 2";
    }

    /// <summary>A row of <see cref="Sql.Composition"/>: a member (its kind and role), a participant (its kind) or a commune (its INSEE code).</summary>
    internal sealed class Part
    {
        public string Kind { get; init; } = "";
        public string Value { get; init; } = "";
        public Guid? OrganisationId { get; init; }
        public string? Role { get; init; }
    }

    internal sealed class KindRole
    {
        public string Kind { get; init; } = "";
        public Guid OrganisationId { get; init; }
        public string Role { get; init; } = "";
    }

    /// <summary>The request's instant, to the millisecond: what "current" means for every membership read.</summary>
    public DateTimeOffset Now { get; } = clock.Instant();

    private Caller Caller => callers.Required;

    private Task<InstanceRow?> ReadAsync(Guid id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<InstanceRow>(Sql.ForCaller, new { Id = id, Caller.OrganisationId, Now }, cancellationToken);

    public async Task<InstanceRow> VisibleAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(id, cancellationToken);
        if (row is null || (row.CallerRole is null && !Caller.IsAdministrator))
        {
            throw new NotFoundException("No such instance.");
        }
        return row;
    }

    /// <summary>
    /// What only members read (meetings and their minutes, the règlement intérieur): not even an administrator,
    /// who sets the platform up but is not a member of the instance (L132-10-1 II).
    /// </summary>
    public async Task<InstanceRow> AsMemberAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(id, cancellationToken);
        return row?.CallerRole is null ? throw new NotFoundException("No such instance.") : row;
    }

    /// <summary>Only a co-chair (the préfet or a procureur of this instance) decides its composition.</summary>
    public async Task<InstanceRow> AsCoChairAsync(Guid id, CancellationToken cancellationToken, bool administratorMayRead = false)
    {
        var row = await ReadAsync(id, cancellationToken);
        if (row is not null && row.CallerRole is null && administratorMayRead && Caller.IsAdministrator)
        {
            return row;
        }
        if (row?.CallerRole is null)
        {
            throw new NotFoundException("No such instance.");
        }
        if (row.CallerRole != MemberRole.CoChair.ToKebab())
        {
            throw new ForbiddenException("Only the co-chairs of the instance (the préfet and the procureur) decide this.")
            {
                Rule = LegalRules.Comp1,
            };
        }
        return row;
    }

    /// <summary>A current member of the instance at the request's instant, or null.</summary>
    public Task<MemberRow?> MemberAsync(Guid instanceId, Guid organisationId, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<MemberRow>(MemberSql.One, new { InstanceId = instanceId, OrganisationId = organisationId, Now }, cancellationToken);

    public async Task<InstanceDto> ToDtoAsync(InstanceRow row, CancellationToken cancellationToken) =>
        await ToDtoAsync(row, await db.QueryAsync<KindRole>(Sql.MemberKinds, new { row.Id, Now }, cancellationToken), cancellationToken);

    private async Task<InstanceDto> ToDtoAsync(InstanceRow row, IReadOnlyList<KindRole> members, CancellationToken cancellationToken) =>
        row.ToDto(row.ZspName is null ? [] : await db.QueryAsync<string>(Sql.Communes, new { row.Id }, cancellationToken), Procureurs(members));

    private static List<Guid> Procureurs(IEnumerable<KindRole> members) => members
        .Where(m => m.Role == MemberRole.CoChair.ToKebab() && m.Kind == OrganisationKind.Procureur.ToKebab()).Select(m => m.OrganisationId).ToList();

    /// <summary>One instance, with its composition status: its members, participants and communes read in one statement.</summary>
    public async Task<InstanceDto> ToDetailAsync(InstanceRow row, CancellationToken cancellationToken)
    {
        var parts = await db.QueryAsync<Part>(Sql.Composition, new { row.Id, Now }, cancellationToken);
        var members = parts.Where(p => p.Kind == "member")
            .Select(p => new KindRole { Kind = p.Value, OrganisationId = p.OrganisationId!.Value, Role = p.Role! }).ToList();
        var participants = row.KindValue == InstanceKind.Ems
            ? parts.Where(p => p.Kind == "participant").Select(p => Kebab.Parse<OrganisationKind>(p.Value)).ToList()
            : [];
        var communes = parts.Where(p => p.Kind == "zsp-commune").Select(p => p.Value).ToList();
        return row.ToDto(communes, Procureurs(members)) with
        {
            Composition = Composition.Of(row, members.Select(m => Kebab.Parse<OrganisationKind>(m.Kind)).ToList(), participants),
        };
    }
}

/// <summary>Who may call the instance endpoints, declared once for all of them.</summary>
internal static class InstanceEndpointAccess
{
    /// <summary>Every business scope of a member organisation; no administrator.</summary>
    public static TBuilder AllowMembers<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.Governance).Allow(Scopes.Exchange).Allow(Scopes.FollowUp).Allow(Scopes.PenalPolicy);

    /// <summary>Every business scope may read the instances its organisation belongs to; administrators read them all.</summary>
    public static TBuilder AllowMembersAndAdministrators<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.Admin, OrganisationKind.Administrateur).AllowMembers();

    /// <summary>What the co-chairs decide (scope governance, kind préfet or procureur); the handler checks that the caller co-chairs this instance.</summary>
    public static TBuilder AllowCoChairs<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);

    public static TBuilder AllowCoChairsAndAdministrators<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.Admin, OrganisationKind.Administrateur).AllowCoChairs();
}
