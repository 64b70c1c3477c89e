using EtatMajor.SharedKernel.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.SharedKernel.Data;

/// <summary>The first response to a client's POST under an Idempotency-Key (issue 14): what a retry gets back.</summary>
public sealed class StoredResponse
{
    public string RequestHash { get; init; } = "";
    public int Status { get; init; }
    public string? ContentType { get; init; }
    public string? Location { get; init; }
    public string? ETag { get; init; }
    public string? ResourceId { get; init; }
    public byte[]? Body { get; init; }
}

/// <summary>
/// The table of idempotency keys (`idem_keys`, one row per client and key, until its expiry): read before a POST runs,
/// written by the POST's unit of work — in the one commit of its effect and its access-log record.
/// </summary>
public static class IdempotencyKeys
{
    internal static class Sql
    {
        public const string Find =
            "SELECT request_hash AS RequestHash, status AS Status, content_type AS ContentType, location AS Location, etag AS ETag, " +
            "resource_id AS ResourceId, body AS Body FROM idem_keys WHERE client_id = @ClientId AND idem_key = @Key AND expires_at > @Now";

        /// <summary>An expired row of the same key, not yet purged, gives way to the new one.</summary>
        public const string DeleteExpiredKey = "DELETE FROM idem_keys WHERE client_id = @ClientId AND idem_key = @Key AND expires_at <= @Now";

        public const string Insert =
            "INSERT INTO idem_keys (client_id, idem_key, request_hash, status, content_type, location, etag, resource_id, body, created_at, expires_at) " +
            "VALUES (@ClientId, @Key, @RequestHash, @Status, @ContentType, @Location, @ETag, @ResourceId, @Body, @Now, @ExpiresAt)";

        public const string DeleteExpired = "DELETE FROM idem_keys WHERE expires_at <= @Now";
    }

    public const string ExpiryJob = "idempotency.expiry";

    /// <summary>The purge of expired keys, hourly.</summary>
    public static IServiceCollection AddIdempotencyKeys(this IServiceCollection services) =>
        services.AddJob<ExpiredKeysJob>(ExpiryJob, TimeSpan.FromHours(1));

    public static Task<StoredResponse?> FindAsync(IDbSession db, string clientId, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<StoredResponse>(Sql.Find, new { ClientId = clientId, Key = key, Now = now }, cancellationToken);

    /// <summary>The key's row, to enlist in the request's unit of work (written just before its access-log record).</summary>
    public static IUnitOfWorkParticipant Record(string clientId, string key, StoredResponse response, DateTimeOffset now, DateTimeOffset expiresAt) =>
        new KeyRecord(clientId, key, response, now, expiresAt);

    private sealed class KeyRecord(string clientId, string key, StoredResponse response, DateTimeOffset now, DateTimeOffset expiresAt) : IUnitOfWorkParticipant
    {
        public async Task WriteAsync(IDbSession session, CancellationToken cancellationToken)
        {
            await session.ExecuteAsync(Sql.DeleteExpiredKey, new { ClientId = clientId, Key = key, Now = now }, cancellationToken);
            await session.ExecuteAsync(Sql.Insert, new
            {
                ClientId = clientId, Key = key, response.RequestHash, response.Status, response.ContentType, response.Location, response.ETag,
                response.ResourceId, response.Body, Now = now, ExpiresAt = expiresAt,
            }, cancellationToken);
        }
    }

    private sealed class ExpiredKeysJob(IDbSession db) : IJob
    {
        public Task RunAsync(JobRun run, CancellationToken cancellationToken) => db.ExecuteAsync(Sql.DeleteExpired, new { run.Now }, cancellationToken);
    }
}
