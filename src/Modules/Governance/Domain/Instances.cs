namespace EtatMajor.Modules.Governance.Domain;

internal sealed record ZspDto(string Name, IReadOnlyList<string> Communes);

/// <summary>An instance; <c>Composition</c> is given when one instance is read (COMP-2, COMP-4), not in lists.</summary>
internal sealed record InstanceDto(
    Guid Id, InstanceKind Kind, string Departement, string Name, Guid PrefetOrganisationId, Guid ProcureurOrganisationId,
    ZspDto? Zsp, DateTimeOffset CreatedAt, CompositionDto? Composition = null) : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

internal sealed class InstanceRow
{
    public const string Columns =
        $"i.id AS {nameof(Id)}, i.kind AS {nameof(Kind)}, i.departement AS {nameof(Departement)}, i.name AS {nameof(Name)}, " +
        $"i.prefet_organisation_id AS {nameof(PrefetOrganisationId)}, i.procureur_organisation_id AS {nameof(ProcureurOrganisationId)}, " +
        $"i.zsp_name AS {nameof(ZspName)}, i.created_at AS {nameof(CreatedAt)}";

    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public string Departement { get; init; } = "";
    public string Name { get; init; } = "";
    public Guid PrefetOrganisationId { get; init; }
    public Guid ProcureurOrganisationId { get; init; }
    public string? ZspName { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The caller's role in the instance when it is a current member (only in <see cref="InstanceAccess"/>).</summary>
    public string? CallerRole { get; init; }

    public InstanceKind KindValue => Kebab.Parse<InstanceKind>(Kind);

    public InstanceDto ToDto(IReadOnlyList<string> communes) => new(Id, KindValue, Departement, Name, PrefetOrganisationId,
        ProcureurOrganisationId, ZspName is null ? null : new ZspDto(ZspName, communes), CreatedAt);
}

/// <summary>
/// The object-level check of every instance endpoint: the instance as the caller may know it. A stranger
/// (not a current member, not an administrator) gets 404, exactly as if the instance did not exist.
/// </summary>
internal static class InstanceAccess
{
    internal static class Sql
    {
        public const string ForCaller =
            $"SELECT {InstanceRow.Columns}, m.role AS {nameof(InstanceRow.CallerRole)} FROM gov_instances i " +
            "LEFT JOIN gov_instance_members m ON m.instance_id = i.id AND m.organisation_id = @OrganisationId AND m.removed_at IS NULL " +
            "WHERE i.id = @Id";
        public const string Communes = "SELECT commune_insee FROM gov_zsp_communes WHERE instance_id = @Id ORDER BY commune_insee";
        public const string MemberKinds =
            "SELECT o.kind FROM gov_instance_members m JOIN gov_organisations o ON o.id = m.organisation_id " +
            "WHERE m.instance_id = @Id AND m.removed_at IS NULL";
    }

    public static async Task<InstanceRow> VisibleAsync(IDbSession db, Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<InstanceRow>(Sql.ForCaller, new { Id = id, caller.OrganisationId }, cancellationToken);
        if (row is null || (row.CallerRole is null && !caller.IsAdministrator))
        {
            throw new NotFoundException("No such instance.");
        }
        return row;
    }

    /// <summary>
    /// What only members read (meetings and their minutes, the règlement intérieur): not even an administrator,
    /// who sets the platform up but is not a member of the instance (L132-10-1 II).
    /// </summary>
    public static async Task<InstanceRow> AsMemberAsync(IDbSession db, Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<InstanceRow>(Sql.ForCaller, new { Id = id, caller.OrganisationId }, cancellationToken);
        return row?.CallerRole is null ? throw new NotFoundException("No such instance.") : row;
    }

    /// <summary>Only a co-chair (préfet or procureur of this instance) decides its composition.</summary>
    public static async Task<InstanceRow> AsCoChairAsync(IDbSession db, Caller caller, Guid id, CancellationToken cancellationToken,
        bool administratorMayRead = false)
    {
        var row = await db.QuerySingleOrDefaultAsync<InstanceRow>(Sql.ForCaller, new { Id = id, caller.OrganisationId }, cancellationToken);
        if (row is not null && row.CallerRole is null && administratorMayRead && caller.IsAdministrator)
        {
            return row;
        }
        if (row?.CallerRole is null)
        {
            throw new NotFoundException("No such instance.");
        }
        if (row.CallerRole != MemberRole.CoChair.ToKebab())
        {
            throw new ForbiddenException("Only the co-chairs of the instance (préfet and procureur) decide its composition.")
            {
                Rule = LegalRules.Comp1,
            };
        }
        return row;
    }

    public static async Task<InstanceDto> ToDtoAsync(IDbSession db, InstanceRow row, CancellationToken cancellationToken)
    {
        var communes = row.ZspName is null ? []
            : await db.QueryAsync<string>(Sql.Communes, new { row.Id }, cancellationToken);
        return row.ToDto(communes);
    }

    /// <summary>One instance, with its composition status.</summary>
    public static async Task<InstanceDto> ToDetailAsync(IDbSession db, InstanceRow row, CancellationToken cancellationToken)
    {
        var kinds = (await db.QueryAsync<string>(Sql.MemberKinds, new { row.Id }, cancellationToken)).Select(Kebab.Parse<OrganisationKind>).ToList();
        return await ToDtoAsync(db, row, cancellationToken) with { Composition = Composition.Of(row.KindValue, kinds) };
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
