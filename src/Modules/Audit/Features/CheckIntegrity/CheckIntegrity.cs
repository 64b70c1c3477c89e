namespace EtatMajor.Modules.Audit.Features.CheckIntegrity;

internal sealed record CheckIntegrity(long? FromSeq, long? ToSeq) : IQuery<VerificationResult>, INotADisclosure;

internal sealed class CheckIntegrityValidator : IValidator<CheckIntegrity>
{
    public void Validate(CheckIntegrity request, ValidationErrors errors)
    {
        if (request.FromSeq is < 1)
        {
            errors.Add("fromSeq", "must be at least 1");
        }
        if (request.FromSeq is not null && request.ToSeq is not null && request.ToSeq < request.FromSeq)
        {
            errors.Add("toSeq", "must not be before fromSeq");
        }
    }
}

internal sealed class CheckIntegrityHandler(IDbSession db, ConnectionFactory connections, ISqlDialect dialect, CheckpointKey key, AuditOptions options, TimeProvider clock)
    : IRequestHandler<CheckIntegrity, VerificationResult>
{
    internal static class Sql
    {
        public const string Bounds = $"SELECT MIN(seq) AS {nameof(SeqBounds.First)}, MAX(seq) AS {nameof(SeqBounds.Last)} FROM aud_events";
        public const string HeadSeq = "SELECT seq FROM aud_head WHERE id = 1";
        public const string FurthestCheckpoint = $"SELECT {CheckpointSql.Columns} FROM aud_checkpoints ORDER BY to_seq DESC, number DESC LIMIT @Take";
    }

    public async Task<VerificationResult> Handle(CheckIntegrity request, CancellationToken cancellationToken)
    {
        // LOG-3. The furthest checkpoint is read before the head: the head only moves forward, so a checkpoint read
        // first never passes an honest head read after it.
        var furthest = (await db.QueryAsync<Checkpoint>(Sql.FurthestCheckpoint, new { Take = 1 }, cancellationToken)).FirstOrDefault();
        // The keys the server trusts, not those the database lists: whoever can write to it could add one (CheckpointKey.Trusted).
        var keys = key.TrustedWith((await db.QueryAsync<KeyDto>(CheckpointSql.KeyColumns, null, cancellationToken)).ToDictionary(k => k.KeyId, k => k.PublicKeyPem));
        // The copies outside the database, read before the head too: each was written once its checkpoint had committed.
        var (copies, unreadable) = options.CheckpointSink is { } sink
            ? await CheckpointCopies.ReadAsync(sink, keys, cancellationToken, mustExist: furthest is not null)
            : ([], null);
        var head = await db.QuerySingleOrDefaultAsync<long>(Sql.HeadSeq, null, cancellationToken);
        var bounds = await db.QuerySingleOrDefaultAsync<SeqBounds>(Sql.Bounds, null, cancellationToken);
        // Up to the head of the chain, not to the last record found: records removed at the end, or every record
        // removed (a log emptied reads as nothing to check), are missing records, not a shorter log.
        var from = request.FromSeq ?? bounds?.First ?? head + 1;
        var to = Math.Min(request.ToSeq ?? head, head);
        var covering = await db.QueryAsync<Checkpoint>(CheckpointSql.Covering, new { FromSeq = from, ToSeq = to }, cancellationToken);
        if (unreadable is not null)
        {
            return new VerificationResult("broken", 0, from, $"{unreadable} (Audit:CheckpointSink)", 0, null);
        }
        // LOG-3: a checkpoint removed from the database with the records it signed is still in the sink.
        var (checkpoints, differs, firstInvalid) = CheckpointCopies.Merge(covering, copies.Where(c => c.ToSeq > head || (c.ToSeq >= from && c.ToSeq <= to)).ToList(), head);
        if (differs is not null)
        {
            return new VerificationResult("broken", 0, firstInvalid, differs, 0, null);
        }
        // A checkpoint past the head, signed or not: the newest records were removed and the head rewritten below it.
        if (furthest is not null && furthest.ToSeq > head)
        {
            return new VerificationResult("broken", 0, head + 1,
                $"checkpoint {furthest.Number} signs the records up to seq {furthest.ToSeq}, past the head of the chain (seq {head}): records were removed", 0, null);
        }
        var (anchor, fault) = await Anchors.BeforeAsync(db, from, keys, clock.Instant(), cancellationToken);
        if (fault is not null)
        {
            // A purge that no signed permit accounts for: someone with the database removed the records before `from`.
            return new VerificationResult("broken", 0, from, fault, 0, null);
        }
        // A second connection streams the records, so the request's own session stays free.
        await using var stream = new DbSession(connections, dialect);
        var result = await ChainVerifier.VerifyAsync(
            stream.StreamAsync<AuditRecord>(EventSql.Range, new { FromSeq = from, ToSeq = to }, cancellationToken),
            anchor, contiguous: true, checkpoints, keys, cancellationToken, requireAnchor: true);
        var expected = Math.Max(0, to - from + 1);
        return result.Valid && result.Checked < expected
            ? result with
            {
                Status = "broken", FirstInvalidSeq = from + result.Checked,
                Reason = $"records {from + result.Checked} to {to} are missing (the head of the chain is at seq {head})",
            }
            : result;
    }
}

internal static class CheckIntegrityEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit/integrity", (long? fromSeq, long? toSeq, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new CheckIntegrity(fromSeq, toSeq), ct))
            .WithName("CheckAuditIntegrity")
            .WithSummary("Recompute the hash chain and check the signed checkpoints over a range of seq")
            .Produces<VerificationResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Audit("audit.integrity", AuditOperation.Consultation, "audit-log", null)
            .AllowAuditors();
}
