using System.Collections.Concurrent;

namespace EtatMajor.Modules.Governance.Domain;

/// <summary>
/// The clients known to be enabled, on SQLite (one API instance only, operations.md): the disabled-client check of
/// every request (CallerCheckMiddleware) answers from memory. Only "enabled" is kept, tagged with the generation it
/// was read in; a disabling moves the generation on before its write and again once it has committed, so an answer
/// read before the commit is never trusted after it: the client is refused at its very next request. An answer is
/// also trusted for one second only, so that a disabling made by another process on the same file (an overlapping
/// restart, an operator's statement) holds within a second. On SQL Server several instances share the database and
/// none could tell the others: each request reads the database.
/// </summary>
internal sealed class EnabledClients(DatabaseOptions options)
{
    /// <summary>How long an "enabled" answer is trusted, in milliseconds.</summary>
    public const long TrustedMs = 1000;

    private readonly ConcurrentDictionary<string, (long Generation, long ReadAt, int CredentialsVersion)> enabled = new(StringComparer.Ordinal);
    private long generation;

    public bool Active => options.Provider == DatabaseProvider.Sqlite;

    public long Generation => Interlocked.Read(ref generation);

    /// <summary>The client is known enabled, with the version of its credentials.</summary>
    public bool Knows(string clientId, out int credentialsVersion)
    {
        credentialsVersion = 0;
        if (Active && enabled.TryGetValue(clientId, out var seen) && seen.Generation == Generation && Environment.TickCount64 - seen.ReadAt < TrustedMs)
        {
            credentialsVersion = seen.CredentialsVersion;
            return true;
        }
        return false;
    }

    /// <summary>An "enabled" read from the database, in the generation current when the read began.</summary>
    public void Remember(string clientId, long readIn, long readAt, int credentialsVersion)
    {
        if (Active && enabled.Count < 10_000)
        {
            enabled[clientId] = (readIn, readAt, credentialsVersion);
        }
    }

    public void Forget()
    {
        Interlocked.Increment(ref generation);
        enabled.Clear();
    }
}

internal sealed class ClientDirectory(IDbSession db, TimeProvider clock, EnabledClients known) : IClientDirectory
{
    public const string AdministratorsCode = "administrateurs";

    internal static class Sql
    {
        public const string Credentials =
            $"SELECT c.client_id AS {nameof(CredentialRow.ClientId)}, c.secret_hash AS {nameof(CredentialRow.SecretHash)}, " +
            $"c.scopes AS {nameof(CredentialRow.Scopes)}, c.enabled AS {nameof(CredentialRow.Enabled)}, c.credentials_version AS {nameof(CredentialRow.CredentialsVersion)}, " +
            $"o.id AS {nameof(CredentialRow.OrganisationId)}, o.kind AS {nameof(CredentialRow.Kind)} " +
            "FROM gov_clients c JOIN gov_organisations o ON o.id = c.organisation_id WHERE c.client_id = @ClientId";
        public const string Enabled =
            $"SELECT enabled AS {nameof(EnabledRow.Enabled)}, credentials_version AS {nameof(EnabledRow.CredentialsVersion)} FROM gov_clients WHERE client_id = @ClientId";
        public const string OrganisationByCode = "SELECT id FROM gov_organisations WHERE code = @Code";
        public const string InsertOrganisation =
            "INSERT INTO gov_organisations (id, code, name, kind, departement, commune_insee, created_at) " +
            "VALUES (@Id, @Code, @Name, @Kind, NULL, NULL, @CreatedAt)";
        public const string InsertClient =
            "INSERT INTO gov_clients (client_id, organisation_id, display_name, secret_hash, scopes, enabled, created_at) " +
            "VALUES (@ClientId, @OrganisationId, @DisplayName, @SecretHash, @Scopes, 1, @CreatedAt)";
        public const string ResetClient =
            "UPDATE gov_clients SET secret_hash = @SecretHash, scopes = @Scopes, enabled = 1, disabled_at = NULL, credentials_version = credentials_version + 1 WHERE client_id = @ClientId";
    }

    public async Task<AuthenticatedClient?> AuthenticateAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        var row = clientId.Length > 64 ? null
            : await db.QuerySingleOrDefaultAsync<CredentialRow>(Sql.Credentials, new { ClientId = clientId }, cancellationToken);
        // Always hash, even for an unknown client, so that response time does not reveal which ids exist.
        var secretMatches = SecretHasher.Verify(secret, row?.SecretHash);
        if (row is null || !secretMatches || !row.Enabled)
        {
            return null;
        }
        return new AuthenticatedClient(row.ClientId, row.OrganisationId, Kebab.Parse<OrganisationKind>(row.Kind),
            row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), row.CredentialsVersion);
    }

    public async Task<bool> IsEnabledAsync(string clientId, int credentialsVersion, CancellationToken cancellationToken)
    {
        if (known.Knows(clientId, out var current))
        {
            return credentialsVersion == current;
        }
        var generation = known.Generation;
        var readAt = Environment.TickCount64;
        var row = await db.QuerySingleOrDefaultAsync<EnabledRow>(Sql.Enabled, new { ClientId = clientId }, cancellationToken);
        if (row is not { Enabled: true })
        {
            return false;
        }
        known.Remember(clientId, generation, readAt, row.CredentialsVersion);
        return credentialsVersion == row.CredentialsVersion;
    }

    private sealed class EnabledRow
    {
        public bool Enabled { get; init; }
        public int CredentialsVersion { get; init; }
    }

    public async Task EnsureAdministratorAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        var now = clock.Instant();
        var organisationId = await db.QuerySingleOrDefaultAsync<Guid?>(Sql.OrganisationByCode, new { Code = AdministratorsCode }, cancellationToken);
        if (organisationId is null)
        {
            organisationId = Guid.CreateVersion7();
            await db.ExecuteAsync(Sql.InsertOrganisation, new
            {
                Id = organisationId, Code = AdministratorsCode, Name = "Administrateurs de la plateforme EtatMajor",
                Kind = OrganisationKind.Administrateur.ToKebab(), CreatedAt = now,
            }, cancellationToken);
        }
        var existing = await db.QuerySingleOrDefaultAsync<CredentialRow>(Sql.Credentials, new { ClientId = clientId }, cancellationToken);
        if (existing is null)
        {
            await db.ExecuteAsync(Sql.InsertClient, new
            {
                ClientId = clientId, OrganisationId = organisationId, DisplayName = "Bootstrap administrator",
                SecretHash = SecretHasher.Hash(secret), Scopes = Scopes.Admin, CreatedAt = now,
            }, cancellationToken);
        }
        else if (!existing.Enabled || existing.Scopes != Scopes.Admin || !SecretHasher.Verify(secret, existing.SecretHash))
        {
            // The configured secret is authoritative: rotating the setting rotates the secret.
            await db.ExecuteAsync(Sql.ResetClient, new { ClientId = clientId, SecretHash = SecretHasher.Hash(secret), Scopes = Scopes.Admin },
                cancellationToken);
        }
    }

    private sealed class CredentialRow
    {
        public string ClientId { get; init; } = "";
        public string SecretHash { get; init; } = "";
        public string Scopes { get; init; } = "";
        public bool Enabled { get; init; }
        public int CredentialsVersion { get; init; }
        public Guid OrganisationId { get; init; }
        public string Kind { get; init; } = "";
    }
}
