using System.Data.Common;

namespace EtatMajor.SharedKernel.Data;

/// <summary>
/// Group commit of the transactions of one SQLite process (issue 13). Every transaction runs on the one writer
/// connection, one after the other, under the write gate; each used to end with its own COMMIT, hence its own fsync
/// and its own copy in the WAL of every page it touched (the head of the access log, the ends of its indexes, the
/// tables' last pages: about 25 frames per exchange send). Now a transaction is a member of a group: a SAVEPOINT in one
/// outer transaction (BEGIN IMMEDIATE), released when it commits, rolled back alone when it fails. Its holder then gives
/// the gate to the next writer and waits until the group is durable; the group commits once (one COMMIT, one fsync)
/// when its closer reaches the gate — queued behind the writers that were already waiting, who thus join it first.
/// A member that finds nobody waiting commits its group at once: a lone writer pays no hop.
/// <para>
/// Durability is unchanged: a member's commit returns only once the group's COMMIT has returned under
/// `synchronous = FULL`, and throws when it failed (every member of a failed group is refused: nothing of it is kept).
/// What SQLite may do by itself is watched: after an I/O error or a full disk it can roll back the whole outer
/// transaction; a group found without its transaction is failed at once, before anyone could join a new one.
/// </para>
/// Every method here runs in the holder of the write gate (one at a time); only a member's wait for its group does not.
/// </summary>
internal sealed class CommitGroups(SqliteConnections connections, ConnectionFactory factory)
{
    /// <summary>A bound on a group, so that its first member's wait stays short under any load.</summary>
    internal const int MaxMembers = 128;

    /// <summary>
    /// A bound on a group's age: a member that commits once its group is this old commits it, so that no member waits
    /// for the transactions of more than a few milliseconds of writers after it (a job's long one among them), and SQLite's
    /// write lock is given up that often for another process (the operator's command line).
    /// </summary>
    internal TimeSpan MaxAge { get; set; } = TimeSpan.FromMilliseconds(20);

    internal static class Sql
    {
        public const string Savepoint = "SAVEPOINT member";
        public const string Release = "RELEASE member";
        public const string RollbackTo = "ROLLBACK TO member";
    }

    /// <summary>The group that members join now; null when none is open. Read and written under the gate only.</summary>
    private Group? open;

    /// <summary>Groups committed, for the tests: fewer than the transactions when some shared one.</summary>
    internal long Committed { get; private set; }

    internal sealed class Group(DbConnection writer, DbTransaction outer)
    {
        public DbConnection Writer { get; } = writer;
        public DbTransaction Outer { get; } = outer;
        public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Members { get; set; }
        public long Started { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
        public bool Closing { get; set; }
    }

    /// <summary>A member of the open group, from its SAVEPOINT to its release or its rollback.</summary>
    internal sealed class Member
    {
        internal Member(Group group) => Of = group;

        internal Group Of { get; }
        public DbConnection Connection => Of.Writer;

        /// <summary>The outer transaction, given to the member's statements.</summary>
        public DbTransaction Transaction => Of.Outer;
    }

    /// <summary>The holder of the gate begins its transaction: a savepoint in the open group, or in a new one.</summary>
    public async Task<Member> BeginAsync(CancellationToken cancellationToken)
    {
        if (open is { } current && !connections.InTransaction(current.Writer))
        {
            Fail(current, Lost());
        }
        if (open is null)
        {
            var writer = await connections.RentWriterAsync(cancellationToken);
            DbTransaction outer;
            try
            {
                outer = await writer.BeginTransactionAsync(cancellationToken);
            }
            catch
            {
                connections.Return(writer);
                throw;
            }
            open = new Group(writer, outer);
        }
        var group = open;
        try
        {
            Execute(group, Sql.Savepoint);
        }
        catch (Exception e)
        {
            Fail(group, e);
            throw;
        }
        return new Member(group);
    }

    /// <summary>
    /// The member's work joins the group (RELEASE). Returns what its caller awaits once it has opened the gate: the
    /// group's durable commit. The last member a group may take commits it here, at once.
    /// </summary>
    public Task Commit(Member member)
    {
        var group = member.Of;
        try
        {
            ThrowIfLost(group);
            Execute(group, Sql.Release);
        }
        catch (Exception e)
        {
            Fail(group, e);
            throw;
        }
        group.Members++;
        if (factory.WritersWaiting == 0 || group.Members >= MaxMembers || System.Diagnostics.Stopwatch.GetElapsedTime(group.Started) >= MaxAge)
        {
            // Nobody to wait for (a lone writer commits at once, as it did alone), or the group is full or old enough.
            Close(group);
        }
        else if (!group.Closing)
        {
            group.Closing = true;
            _ = CloseWhenItsTurnComesAsync(group);
        }
        return group.Durable.Task;
    }

    /// <summary>Nothing of the member is kept; the group goes on without it (or fails, if SQLite dropped it whole).</summary>
    public void Rollback(Member member)
    {
        var group = member.Of;
        if (!ReferenceEquals(open, group))
        {
            return;
        }
        try
        {
            ThrowIfLost(group);
            Execute(group, Sql.RollbackTo);
            Execute(group, Sql.Release);
        }
        catch (Exception e)
        {
            Fail(group, e);
            return;
        }
        if (group.Members == 0)
        {
            // Nobody waits for this group: it ends now, instead of keeping the write lock for nothing.
            open = null;
            End(group);
        }
    }

    /// <summary>
    /// The closer queues at the gate like any writer (first come, first served): the writers queued before it join
    /// the group first, then it commits for them all.
    /// </summary>
    private async Task CloseWhenItsTurnComesAsync(Group group)
    {
        await factory.WriteGate!.WaitAsync().ConfigureAwait(false);
        try
        {
            Close(group);
        }
        finally
        {
            factory.WriteGate.Release();
        }
    }

    private void Close(Group group)
    {
        if (!ReferenceEquals(open, group))
        {
            return;
        }
        open = null;
        Exception? failure = null;
        try
        {
            group.Outer.Commit();
            Committed++;
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            // The members hear the outcome whatever ending the transaction does: none of them may wait for ever.
            try
            {
                End(group);
            }
            finally
            {
                if (failure is null)
                {
                    group.Durable.TrySetResult();
                }
                else
                {
                    group.Durable.TrySetException(failure);
                }
            }
        }
    }

    /// <summary>The group is lost: whatever is left of it rolls back, and every member waiting hears why.</summary>
    private void Fail(Group group, Exception cause)
    {
        if (ReferenceEquals(open, group))
        {
            open = null;
        }
        try
        {
            End(group);
        }
        finally
        {
            group.Durable.TrySetException(cause);
            // Observed here: a group that failed before anyone joined it has no member to await it.
            _ = group.Durable.Task.Exception;
        }
    }

    /// <summary>The outer transaction is disposed (a rollback if still open); a writer left in a transaction is closed.</summary>
    private void End(Group group)
    {
        try
        {
            group.Outer.Dispose();
        }
        catch (DbException)
        {
            // A failing disk: the writer, still in its transaction, is closed just below.
        }
        connections.Return(group.Writer);
    }

    private void ThrowIfLost(Group group)
    {
        if (!connections.InTransaction(group.Writer))
        {
            throw Lost();
        }
    }

    private static InvalidOperationException Lost() => new("SQLite rolled the group's transaction back by itself (an I/O error, a full disk).");

    private static void Execute(Group group, string text)
    {
        using var command = group.Writer.CreateCommand();
        command.CommandText = text;
        command.Transaction = group.Outer;
        command.ExecuteNonQuery();
    }
}
