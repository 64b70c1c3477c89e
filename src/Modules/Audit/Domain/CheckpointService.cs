using EtatMajor.SharedKernel.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// Writes a signed checkpoint every `Audit:CheckpointInterval`, also when nothing happened (as CloudTrail
/// writes its digests), and once a day removes the checkpoint segments older than `Audit:RetentionDays`.
/// Several API instances may run it: a checkpoint number is taken once (primary key), the loser skips.
/// </summary>
internal sealed class CheckpointService(
    ConnectionFactory connections, ISqlDialect dialect, CheckpointKey key, AuditOptions options, AuditAppender appender,
    TimeProvider clock, ILogger<CheckpointService> logger) : BackgroundService
{
    internal static class Sql
    {
        public const string KeyKnown = "SELECT COUNT(*) FROM aud_keys WHERE key_id = @KeyId";
        public const string InsertKey =
            "INSERT INTO aud_keys (key_id, algorithm, public_key_pem, first_used_at) VALUES (@KeyId, @Algorithm, @PublicKeyPem, @FirstUsedAt)";
        public const string LastCheckpoint = $"SELECT {CheckpointColumns} FROM aud_checkpoints ORDER BY number DESC LIMIT @Take";
        public const string InsertCheckpoint =
            "INSERT INTO aud_checkpoints (number, from_seq, to_seq, count, head_hash, created_at, previous_signature, key_id, signature) " +
            "VALUES (@Number, @FromSeq, @ToSeq, @Count, @HeadHash, @CreatedAt, @PreviousSignature, @KeyId, @Signature)";
        public const string CheckpointColumns =
            $"number AS {nameof(Checkpoint.Number)}, from_seq AS {nameof(Checkpoint.FromSeq)}, to_seq AS {nameof(Checkpoint.ToSeq)}, " +
            $"count AS {nameof(Checkpoint.Count)}, head_hash AS {nameof(Checkpoint.HeadHash)}, created_at AS {nameof(Checkpoint.CreatedAt)}, " +
            $"previous_signature AS {nameof(Checkpoint.PreviousSignature)}, key_id AS {nameof(Checkpoint.KeyId)}, signature AS {nameof(Checkpoint.Signature)}";
        public const string PurgeCandidate =
            $"SELECT {CheckpointColumns} FROM aud_checkpoints WHERE created_at < @Cutoff " +
            "AND to_seq > (SELECT COALESCE(MAX(up_to_seq), 0) FROM aud_purges) ORDER BY number DESC LIMIT @Take";
        public const string InsertPurge = "INSERT INTO aud_purges (checkpoint_number, up_to_seq, purged_at) VALUES (@Number, @ToSeq, @PurgedAt)";
        public const string DeleteSegment = "DELETE FROM aud_events WHERE seq <= @ToSeq";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPurge = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(options.CheckpointInterval, clock);
        try
        {
            do
            {
                try
                {
                    await WriteCheckpointAsync(stoppingToken);
                    if (clock.GetUtcNow() >= nextPurge)
                    {
                        await PurgeAsync(clock.Instant(), stoppingToken);
                        nextPurge = clock.GetUtcNow().AddDays(1);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("Access-log checkpoint or retention failed: {ExceptionType}", e.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Makes the signing key's public part available to verifiers (idempotent).</summary>
    public async Task RegisterKeyAsync(IDbSession session, CancellationToken cancellationToken)
    {
        if (await session.QuerySingleOrDefaultAsync<int>(Sql.KeyKnown, new { key.KeyId }, cancellationToken) == 0)
        {
            await session.ExecuteAsync(Sql.InsertKey, new
            {
                key.KeyId, Algorithm = CheckpointSignatures.Algorithm, key.PublicKeyPem, FirstUsedAt = clock.Instant(),
            }, cancellationToken);
        }
    }

    public async Task<Checkpoint> WriteCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var session = new DbSession(connections, dialect);
        await session.BeginAsync(cancellationToken);
        await RegisterKeyAsync(session, cancellationToken);
        var head = await session.QuerySingleOrDefaultAsync<AuditAppender.Head>(
            dialect.Provider == DatabaseProvider.SqlServer ? AuditAppender.Sql.HeadSqlServer : AuditAppender.Sql.HeadSqlite, null, cancellationToken);
        var last = (await session.QueryAsync<Checkpoint>(Sql.LastCheckpoint, new { Take = 1 }, cancellationToken)).FirstOrDefault();
        var from = (last?.ToSeq ?? 0) + 1;
        var checkpoint = new Checkpoint
        {
            Number = (last?.Number ?? 0) + 1,
            FromSeq = from,
            ToSeq = head!.Seq,
            Count = Math.Max(0, head.Seq - from + 1),
            HeadHash = head.Hash,
            CreatedAt = TypeHandlers.SqliteInstant(clock.Instant()),
            PreviousSignature = last?.Signature,
            KeyId = key.KeyId,
        };
        checkpoint.Signature = CheckpointSignatures.Sign(key.Key, checkpoint);
        await session.ExecuteAsync(Sql.InsertCheckpoint, checkpoint, cancellationToken);
        await session.CompleteAsync(cancellationToken);
        return checkpoint;
    }

    /// <summary>
    /// Removes the events of the whole checkpoint segments older than the retention period; the signed
    /// checkpoints stay, and the first kept event chains to the last removed one's hash, the head of the
    /// checkpoint the purge stopped at. The erasure itself is logged (LOG-1).
    /// </summary>
    public async Task<long?> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = new DbSession(connections, dialect);
        await session.BeginAsync(cancellationToken);
        var cutoff = TypeHandlers.SqliteInstant(now.AddDays(-options.RetentionDays));
        var checkpoint = (await session.QueryAsync<Checkpoint>(Sql.PurgeCandidate, new { Cutoff = cutoff, Take = 1 }, cancellationToken)).FirstOrDefault();
        if (checkpoint is null)
        {
            return null;
        }
        await session.ExecuteAsync(Sql.InsertPurge, new { checkpoint.Number, checkpoint.ToSeq, PurgedAt = now }, cancellationToken);
        var removed = await session.ExecuteAsync(Sql.DeleteSegment, new { checkpoint.ToSeq }, cancellationToken);
        await appender.AppendAsync(session, [AuditRecords.System("audit.purge", "erasure", "audit-log", $"1..{checkpoint.ToSeq}", now)], cancellationToken);
        await session.CompleteAsync(cancellationToken);
        logger.LogInformation("Access-log retention removed {Count} record(s) up to seq {Seq}", removed, checkpoint.ToSeq);
        return checkpoint.ToSeq;
    }
}
