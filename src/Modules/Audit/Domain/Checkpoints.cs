using EtatMajor.SharedKernel.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// The signed checkpoints (LOG-3) and the retention of the access log, written in the unit of work of the job
/// that calls them: a checkpoint every `Audit:CheckpointInterval`, also when nothing happened (as CloudTrail
/// writes its digests); once a day, the removal of the checkpoint segments older than `Audit:RetentionDays`.
/// </summary>
internal sealed class Checkpoints(IDbSession db, CheckpointKey key, AuditOptions options, AuditAppender appender, UnitOfWork work, TimeProvider clock,
    ILogger<Checkpoints> logger)
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
        public const string InsertPurge =
            "INSERT INTO aud_purges (checkpoint_number, up_to_seq, head_hash, checkpoint_created_at, retention_days, cutoff, purged_at, key_id, signature) " +
            "VALUES (@CheckpointNumber, @UpToSeq, @HeadHash, @CheckpointCreatedAt, @RetentionDays, @Cutoff, @PurgedAt, @KeyId, @Signature)";
        public const string DeleteSegment = "DELETE FROM aud_events WHERE seq <= @ToSeq";
    }

    /// <summary>Makes the signing key's public part available to verifiers (idempotent).</summary>
    public async Task RegisterKeyAsync(CancellationToken cancellationToken)
    {
        if (await db.QuerySingleOrDefaultAsync<int>(Sql.KeyKnown, new { key.KeyId }, cancellationToken) == 0)
        {
            await db.ExecuteAsync(Sql.InsertKey, new
            {
                key.KeyId, Algorithm = CheckpointSignatures.Algorithm, key.PublicKeyPem, FirstUsedAt = clock.Instant(),
            }, cancellationToken);
        }
    }

    /// <summary>Signs the head of the chain, chained to the previous checkpoint's signature.</summary>
    public async Task<Checkpoint> WriteAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await RegisterKeyAsync(cancellationToken);
        var head = await db.QuerySingleOrDefaultAsync<AuditAppender.Head>(AuditAppender.Sql.Head, null, cancellationToken)
            ?? throw new InvalidOperationException("The access log has no head row: migrations are missing.");
        // The last few checkpoints: the newest to chain to, and those whose copy a failed write left out of the sink.
        var recent = await db.QueryAsync<Checkpoint>(Sql.LastCheckpoint, new { Take = CatchUpDepth }, cancellationToken);
        var last = recent.FirstOrDefault();
        var from = (last?.ToSeq ?? 0) + 1;
        var checkpoint = new Checkpoint
        {
            Number = (last?.Number ?? 0) + 1,
            FromSeq = from,
            ToSeq = head.Seq,
            Count = Math.Max(0, head.Seq - from + 1),
            HeadHash = head.Hash,
            CreatedAt = TypeHandlers.SqliteInstant(now),
            PreviousSignature = last?.Signature,
            KeyId = key.KeyId,
        };
        checkpoint.Signature = CheckpointSignatures.Sign(key.Key, checkpoint);
        await db.ExecuteAsync(Sql.InsertCheckpoint, checkpoint, cancellationToken);
        if (options.CheckpointSink is { } sink)
        {
            // Once committed: a copy out of reach of whoever can write to the database (audit verify --trusted-checkpoints).
            // A copy that could not be written before (the volume was full, unmounted) is written again now, from the
            // database's signed checkpoint: a failed write does not leave a hole in the sink for good.
            var missing = recent.Where(c => !File.Exists(SinkPath(sink, c.Number))).ToList();
            work.OnCommitted(() =>
            {
                foreach (var copy in missing.Append(checkpoint))
                {
                    WriteToSink(sink, copy);
                }
            });
        }
        return checkpoint;
    }

    /// <summary>How many of the latest checkpoints each run looks for in the sink (at 5 minutes, the last 50 minutes).</summary>
    private const int CatchUpDepth = 10;

    private static string SinkPath(string sink, long number) => Path.Combine(sink, $"checkpoint-{number:D12}.ndjson");

    private void WriteToSink(string sink, Checkpoint checkpoint)
    {
        try
        {
            // Written whole under a temporary name, then given its name without replacing one already there: the
            // directory never holds half a checkpoint, and a number met again (a restored database) is refused, not overwritten.
            Directory.CreateDirectory(sink);
            var path = SinkPath(sink, checkpoint.Number);
            var partial = Path.Combine(sink, $".checkpoint-{checkpoint.Number:D12}.{Guid.NewGuid():N}.tmp");
            using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                file.Write(System.Text.Encoding.UTF8.GetBytes(Features.ExportEvents.ExportFormat.CheckpointLine(checkpoint) + "\n"));
                file.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(partial, path, overwrite: false);
            }
            finally
            {
                File.Delete(partial);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Checkpoint {Number} could not be written to Audit:CheckpointSink ({ExceptionType})", checkpoint.Number, e.GetType().Name);
        }
    }

    /// <summary>
    /// Removes the events of the whole checkpoint segments older than the retention period; the signed
    /// checkpoints stay, and the first kept event chains to the last removed one's hash, the head of the
    /// checkpoint the purge stopped at. The erasure itself is logged (LOG-1). Null when there is nothing to remove.
    /// </summary>
    public async Task<long?> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = TypeHandlers.SqliteInstant(now.AddDays(-options.RetentionDays));
        var checkpoint = (await db.QueryAsync<Checkpoint>(Sql.PurgeCandidate, new { Cutoff = cutoff, Take = 1 }, cancellationToken)).FirstOrDefault();
        if (checkpoint is null)
        {
            return null;
        }
        // Signed, so that a permit written into the database by hand authorises nothing (PurgePermit.Fault).
        var permit = new PurgePermit
        {
            CheckpointNumber = checkpoint.Number,
            UpToSeq = checkpoint.ToSeq,
            HeadHash = checkpoint.HeadHash,
            CheckpointCreatedAt = checkpoint.CreatedAt,
            RetentionDays = options.RetentionDays,
            Cutoff = cutoff,
            // To the millisecond, as both databases keep it and the signature says it.
            PurgedAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero),
            KeyId = key.KeyId,
        };
        permit.Signature = CheckpointSignatures.Sign(key.Key, permit.Canonical());
        await db.ExecuteAsync(Sql.InsertPurge, permit, cancellationToken);
        await db.ExecuteAsync(Sql.DeleteSegment, new { checkpoint.ToSeq }, cancellationToken);
        await appender.AppendAsync(db, [AuditRecords.System(new SystemRecord("audit.purge", AuditOperation.Erasure, "audit-log", $"1..{checkpoint.ToSeq}"), now)],
            cancellationToken);
        return checkpoint.ToSeq;
    }
}

/// <summary>`audit.checkpoint`: a signed checkpoint every `Audit:CheckpointInterval`, on one API instance.</summary>
internal sealed class CheckpointJob(Checkpoints checkpoints) : IJob
{
    public const string Name = "audit.checkpoint";

    public Task RunAsync(JobRun run, CancellationToken cancellationToken) => checkpoints.WriteAsync(run.Now, cancellationToken);
}

/// <summary>`audit.retention`: once a day, the segments older than `Audit:RetentionDays` are removed (LOG-3).</summary>
internal sealed class RetentionJob(Checkpoints checkpoints) : IJob
{
    public const string Name = "audit.retention";

    public Task RunAsync(JobRun run, CancellationToken cancellationToken) => checkpoints.PurgeAsync(run.Now, cancellationToken);
}

/// <summary>
/// At start, once the migrations have run: the checkpoint signing key's public part is published (aud_keys), so
/// that an auditor can fetch it before the first checkpoint is written.
/// </summary>
internal sealed class KeyPublication(IServiceScopeFactory scopes, ILogger<KeyPublication> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var work = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            await work.BeginAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<Checkpoints>().RegisterKeyAsync(cancellationToken);
            await work.CommitAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException e)
        {
            // The database is not ready (migrations left to the migrate command): the first checkpoint publishes it.
            logger.LogWarning("The checkpoint key could not be published at start ({ExceptionType}); the first checkpoint will", e.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>System records for the modules' jobs (an erasure, a reminder), appended in the job's unit of work.</summary>
internal sealed class SystemAccessLog(AuditAppender appender, TimeProvider clock) : ISystemAccessLog
{
    public IUnitOfWorkParticipant Record(SystemRecord record) => appender.Participant(AuditRecords.System(record, clock.Instant()));
}
