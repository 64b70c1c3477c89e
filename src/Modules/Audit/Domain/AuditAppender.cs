namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// Appends records to the chain inside the caller's transaction: reads the head (locking it), gives each
/// record the next seq and its hash, inserts them, moves the head. On SQLite the transaction already holds
/// the database write lock (BEGIN IMMEDIATE); on SQL Server the UPDLOCK on the head row serialises appenders.
/// </summary>
internal sealed class AuditAppender
{
    internal static class Sql
    {
        public const string Head = $"SELECT seq AS {nameof(AuditAppender.Head.Seq)}, hash AS {nameof(AuditAppender.Head.Hash)} FROM aud_head /*+ UPDLOCK, HOLDLOCK */ WHERE id = 1";
        public const string MoveHead = "UPDATE aud_head SET seq = @Seq, hash = @Hash WHERE id = 1";
        public const string Insert =
            "INSERT INTO aud_events (seq, id, occurred_at, client_id, organisation_id, organisation_kind, on_behalf_of, action, operation, " +
            "resource_type, resource_id, related_resource_id, recipients, justification, outcome, status, rule_id, route, trace_id, duration_ms, prev_hash, hash) " +
            "VALUES (@Seq, @Id, @OccurredAt, @ClientId, @OrganisationId, @OrganisationKind, @OnBehalfOf, @Action, @Operation, " +
            "@ResourceType, @ResourceId, @RelatedResourceId, @Recipients, @Justification, @Outcome, @Status, @RuleId, @Route, @TraceId, @DurationMs, @PrevHash, @Hash)";
    }

    internal sealed class Head
    {
        public long Seq { get; init; }
        public string Hash { get; init; } = "";
    }

    public async Task AppendAsync(IDbSession session, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }
        var head = await session.QuerySingleOrDefaultAsync<Head>(Sql.Head, null, cancellationToken)
            ?? throw new InvalidOperationException("The access log has no head row: migrations are missing.");
        var seq = head.Seq;
        var previous = head.Hash;
        foreach (var record in records)
        {
            record.Seq = ++seq;
            record.PrevHash = previous;
            record.Hash = record.ComputeHash();
            previous = record.Hash;
        }
        // Instants and organisation ids are stored as their canonical text on both providers: what is hashed is what is read back.
        await session.ExecuteAsync(Sql.Insert, records, cancellationToken);
        await session.ExecuteAsync(Sql.MoveHead, new { Seq = seq, Hash = previous }, cancellationToken);
    }

    /// <summary>A record to append in a unit of work, just before it commits (with the effect it records).</summary>
    public IUnitOfWorkParticipant Participant(AuditRecord record) => new Appending(this, record);

    private sealed class Appending(AuditAppender appender, AuditRecord record) : IUnitOfWorkParticipant
    {
        public Task WriteAsync(IDbSession session, CancellationToken cancellationToken) => appender.AppendAsync(session, [record], cancellationToken);
    }
}
