namespace EtatMajor.Modules.Governance.Domain;

/// <summary>An organisation as the API shows it.</summary>
internal sealed record OrganisationDto(
    Guid Id, string Code, string Name, OrganisationKind Kind, string? Departement, string? CommuneInsee, DateTimeOffset CreatedAt)
    : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => Id.ToString();
}

/// <summary>A row of gov_organisations; kinds are stored as their kebab-case names.</summary>
internal sealed class OrganisationRow
{
    public const string Columns =
        $"id AS {nameof(Id)}, code AS {nameof(Code)}, name AS {nameof(Name)}, kind AS {nameof(Kind)}, " +
        $"departement AS {nameof(Departement)}, commune_insee AS {nameof(CommuneInsee)}, created_at AS {nameof(CreatedAt)}";

    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Departement { get; init; }
    public string? CommuneInsee { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public OrganisationKind KindValue => Kebab.Parse<OrganisationKind>(Kind);

    public OrganisationDto ToDto() => new(Id, Code, Name, KindValue, Departement, CommuneInsee, CreatedAt);
}

internal static class OrganisationSql
{
    public const string ById = $"SELECT {OrganisationRow.Columns} FROM gov_organisations WHERE id = @Id";
}
