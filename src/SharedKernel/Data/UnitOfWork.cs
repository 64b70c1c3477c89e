using Microsoft.Extensions.Logging;

namespace EtatMajor.SharedKernel.Data;

/// <summary>Something that must be written in the same transaction as the effect, just before it commits.</summary>
public interface IUnitOfWorkParticipant
{
    Task WriteAsync(IDbSession session, CancellationToken cancellationToken);
}

/// <summary>
/// The unit of work of one HTTP request or one background job: one connection, at most one transaction,
/// one commit. The pipeline's transaction step begins it for a command; its owner — the access log for an
/// HTTP request (AuditMiddleware), the job runner for a job — commits it once, after the participants enlisted
/// on the way (the access-log record; later an idempotency key, a tombstone) have written their rows in it.
/// Nothing else commits: a handler only reads and writes through <see cref="IDbSession"/>.
/// </summary>
public sealed class UnitOfWork(DbSession session, ILogger<UnitOfWork> logger)
{
    private readonly List<IUnitOfWorkParticipant> participants = [];
    private readonly List<Action> afterCommit = [];
    private readonly List<Func<Task>> compensations = [];

    /// <summary>True once a transaction is open: something may be written, and must be committed or rolled back.</summary>
    public bool Begun => session.InTransaction;

    public Task BeginAsync(CancellationToken cancellationToken) => session.BeginAsync(cancellationToken);

    /// <summary>Adds what must commit with the effect; written at <see cref="CommitAsync"/>, in enlistment order.</summary>
    public void Enlist(IUnitOfWorkParticipant participant) => participants.Add(participant);

    /// <summary>The one commit: the participants write, then the transaction commits (or nothing is kept).</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (!Begun && participants.Count == 0)
        {
            return;
        }
        await session.BeginAsync(cancellationToken);
        foreach (var participant in participants)
        {
            await participant.WriteAsync(session, cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        compensations.Clear();
        foreach (var committed in afterCommit)
        {
            committed();
        }
        afterCommit.Clear();
    }

    /// <summary>
    /// Runs once the transaction has committed (never when it rolls back): what must follow the effect, not precede
    /// it — a cache that must not learn the old state again in between (a disabled client).
    /// </summary>
    public void OnCommitted(Action committed) => afterCommit.Add(committed);

    /// <summary>
    /// Undoes, once the transaction is rolled back (its lock released), what was written outside it for it: the
    /// contents staged before the transaction began. Best effort: a crash leaves them to the store's janitor.
    /// </summary>
    public void OnRollback(Func<Task> compensation) => compensations.Add(compensation);

    /// <summary>
    /// Rolls the transaction back, then runs every compensation even if the rollback or another compensation
    /// fails (a failed one is logged and left to the janitor); the rollback's own failure is rethrown after.
    /// </summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        var pending = compensations.ToList();
        compensations.Clear();
        afterCommit.Clear();
        try
        {
            await session.RollbackAsync(cancellationToken);
        }
        finally
        {
            foreach (var compensation in pending)
            {
                try
                {
                    await compensation();
                }
                catch (Exception e)
                {
                    logger.LogWarning("A compensation of a rolled-back unit of work failed ({ExceptionType}); the janitor job will remove what it left", e.GetType().Name);
                }
            }
        }
    }
}
