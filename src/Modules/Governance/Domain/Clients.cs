namespace EtatMajor.Modules.Governance.Domain;

/// <summary>A client as the API shows it: never its secret.</summary>
internal sealed record ClientDto(
    string ClientId, Guid OrganisationId, string DisplayName, IReadOnlyList<string> Scopes, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);

/// <summary>The answer to a client creation: the only time the secret is ever shown.</summary>
internal sealed record ClientCreated(string ClientId, string ClientSecret, Guid OrganisationId, string DisplayName, IReadOnlyList<string> Scopes)
    : ICreatedResource
{
    string ICreatedResource.CreatedResourceId => ClientId;
}

internal sealed class ClientRow
{
    public const string Columns =
        $"client_id AS {nameof(ClientId)}, organisation_id AS {nameof(OrganisationId)}, display_name AS {nameof(DisplayName)}, " +
        $"scopes AS {nameof(Scopes)}, enabled AS {nameof(Enabled)}, created_at AS {nameof(CreatedAt)}, disabled_at AS {nameof(DisabledAt)}";

    public string ClientId { get; init; } = "";
    public Guid OrganisationId { get; init; }
    public string DisplayName { get; init; } = "";
    public string Scopes { get; init; } = "";
    public bool Enabled { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }

    public ClientDto ToDto() => new(ClientId, OrganisationId, DisplayName, Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        Enabled, CreatedAt, DisabledAt);
}

internal static class ClientSql
{
    public const string ById = $"SELECT {ClientRow.Columns} FROM gov_clients WHERE client_id = @ClientId";
    public const string Insert =
        "INSERT INTO gov_clients (client_id, organisation_id, display_name, secret_hash, scopes, enabled, created_at) " +
        "VALUES (@ClientId, @OrganisationId, @DisplayName, @SecretHash, @Scopes, 1, @CreatedAt)";
    public const string Disable =
        "UPDATE gov_clients SET enabled = 0, disabled_at = @DisabledAt WHERE client_id = @ClientId AND enabled = 1";

    /// <summary>Enabled again: the tokens issued before stay refused (a new credentials version, <see cref="Contracts.IClientDirectory.IsEnabledAsync"/>).</summary>
    public const string Enable =
        "UPDATE gov_clients SET enabled = 1, disabled_at = NULL, credentials_version = credentials_version + 1 WHERE client_id = @ClientId AND enabled = 0";

    /// <summary>A new secret: the old one stops working, and so do the tokens it obtained.</summary>
    public const string RotateSecret =
        "UPDATE gov_clients SET secret_hash = @SecretHash, credentials_version = credentials_version + 1 WHERE client_id = @ClientId";

    /// <summary>Keyset pagination on the client id, filtered by organisation and state.</summary>
    public const string Page =
        $"SELECT {ClientRow.Columns} FROM gov_clients " +
        "WHERE (@OrganisationId IS NULL OR organisation_id = @OrganisationId) AND (@Enabled IS NULL OR enabled = @Enabled) " +
        "AND (@After IS NULL OR client_id > @After) ORDER BY client_id LIMIT @Take";
}

/// <summary>
/// Separation of duties, chosen to protect the persons concerned: an administrators' organisation holds
/// only `admin`, an auditors' only `audit`, and no other organisation may hold either.
/// </summary>
internal static class ScopePolicy
{
    public static string? Refusal(OrganisationKind kind, IReadOnlyCollection<string> scopes) => kind switch
    {
        OrganisationKind.Administrateur when scopes.Any(s => s != Scopes.Admin) =>
            "an administrateur organisation holds only the admin scope",
        OrganisationKind.Auditeur when scopes.Any(s => s != Scopes.Audit) =>
            "an auditeur organisation holds only the audit scope (LOG-2)",
        not (OrganisationKind.Administrateur or OrganisationKind.Auditeur) when scopes.Contains(Scopes.Admin) || scopes.Contains(Scopes.Audit) =>
            "the admin and audit scopes are reserved to administrateur and auditeur organisations",
        _ => null,
    };
}
