using EtatMajor.SharedKernel.Data;
using Microsoft.Data.Sqlite;

namespace EtatMajor.SharedKernel.Tests;

/// <summary>
/// Issue 13: on SQLite the transactions queued at the write gate commit together (one COMMIT, one fsync), each as a
/// savepoint of the group; a member's commit returns only once the group is durable, a member that fails leaves the
/// others whole, and a group that fails refuses every member (nothing of it is kept).
/// </summary>
public sealed class CommitGroupsTests
{
    private string directory = "";
    private ConnectionFactory factory = null!;

    [SetUp]
    public async Task SetUp()
    {
        TypeHandlers.Register();
        directory = Directory.CreateTempSubdirectory("etatmajor-groups-").FullName;
        factory = new ConnectionFactory(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={directory}/t.db"));
        // No age bound here (the test's threads may be slow); the bound has its own test.
        factory.Groups!.MaxAge = TimeSpan.FromHours(1);
        await using var session = new DbSession(factory, new SqliteDialect());
        await session.ExecuteAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    }

    [TearDown]
    public void TearDown()
    {
        factory.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private DbSession Session() => new(factory, new SqliteDialect());

    private async Task<long> CountAsync()
    {
        // Another connection than the writer's: it sees only what is committed.
        await using var reader = Session();
        return await reader.QuerySingleOrDefaultAsync<long>("SELECT COUNT(*) FROM notes");
    }

    /// <summary>
    /// Writers that queue at the gate while the first holds it; each inserts its id, then does what it is told. Each
    /// task ends with "committed" or "refused".
    /// </summary>
    private async Task<(DbSession First, List<Task<string>> Others)> QueueAsync(int others, Func<DbSession, int, Task> then)
    {
        var first = Session();
        await first.BeginAsync(CancellationToken.None);
        await first.ExecuteAsync("INSERT INTO notes (id, text) VALUES (1, 'first')");
        var queued = 0;
        var tasks = new List<Task<string>>();
        for (var id = 2; id <= others + 1; id++)
        {
            var own = id;
            tasks.Add(Task.Run(async () =>
            {
                await using var session = Session();
                // The gate is held: BeginAsync queues at once, then waits for its turn.
                var begun = session.BeginAsync(CancellationToken.None);
                Interlocked.Increment(ref queued);
                await begun;
                await session.ExecuteAsync("INSERT INTO notes (id, text) VALUES (@Id, 'queued')", new { Id = own });
                try
                {
                    await then(session, own);
                    return "committed";
                }
                catch (Exception e) when (e is SqliteException or InvalidOperationException)
                {
                    return "refused";
                }
            }));
        }
        while (Volatile.Read(ref queued) < others)
        {
            await Task.Delay(5);
        }
        return (first, tasks);
    }

    private static Task Commit(DbSession session) => session.CommitAsync(CancellationToken.None);

    [Test]
    public async Task Issue13_writers_queued_at_the_gate_commit_in_one_group_and_each_commit_returns_once_durable()
    {
        var groups = factory.Groups!;
        var before = groups.Committed;
        var (first, others) = await QueueAsync(9, (session, _) => Commit(session));
        await Commit(first);
        await first.DisposeAsync();
        var outcomes = await Task.WhenAll(others);
        Assert.Multiple(async () =>
        {
            Assert.That(outcomes, Is.All.EqualTo("committed"));
            Assert.That(await CountAsync(), Is.EqualTo(10), "every member's row is committed when its commit returns");
            Assert.That(groups.Committed - before, Is.EqualTo(1), "the first holder's group was closed behind the nine writers it found queued");
        });
    }

    [Test]
    public async Task Issue13_a_member_that_finds_its_group_older_than_the_bound_commits_it_so_that_no_one_waits_long()
    {
        var groups = factory.Groups!;
        groups.MaxAge = TimeSpan.Zero;
        var before = groups.Committed;
        var (first, others) = await QueueAsync(3, (session, _) => Commit(session));
        await Commit(first);
        await first.DisposeAsync();
        var outcomes = await Task.WhenAll(others);
        Assert.Multiple(async () =>
        {
            Assert.That(outcomes, Is.All.EqualTo("committed"));
            Assert.That(groups.Committed - before, Is.EqualTo(4), "every group already old enough: each writer commits its own");
            Assert.That(await CountAsync(), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Issue13_a_member_that_rolls_back_leaves_the_other_members_of_its_group_whole()
    {
        var (first, others) = await QueueAsync(5, async (session, id) =>
        {
            if (id == 4)
            {
                await session.RollbackAsync(CancellationToken.None);
                throw new InvalidOperationException("rolled back");
            }
            await Commit(session);
        });
        await Commit(first);
        await first.DisposeAsync();
        await Task.WhenAll(others);
        await using var reader = Session();
        var ids = await reader.QueryAsync<long>("SELECT id FROM notes ORDER BY id");
        Assert.That(ids, Is.EqualTo(new long[] { 1, 2, 3, 5, 6 }));
    }

    [Test]
    public async Task Issue13_when_SQLite_drops_the_group_s_transaction_every_member_that_joined_it_is_refused_and_nothing_of_them_is_kept()
    {
        var (first, others) = await QueueAsync(4, async (session, id) =>
        {
            if (id == 3)
            {
                // What an I/O error or a full disk can make SQLite do by itself: the whole transaction rolled back.
                await session.ExecuteAsync("ROLLBACK");
            }
            await Commit(session);
        });
        // The first releases its savepoint and waits for its group, which the writer with id 3 will lose.
        var firstCommit = Commit(first);
        var outcomes = await Task.WhenAll(others);
        Assert.ThrowsAsync<InvalidOperationException>(async () => await firstCommit, "the first joined the lost group");
        await first.DisposeAsync();
        await using var reader = Session();
        var kept = await reader.QueryAsync<long>("SELECT id FROM notes ORDER BY id");
        var toldCommitted = outcomes.Select((outcome, i) => (outcome, id: (long)i + 2)).Where(o => o.outcome == "committed").Select(o => o.id);
        Assert.Multiple(() =>
        {
            Assert.That(outcomes[1], Is.EqualTo("refused"), "the writer whose statement lost the group");
            Assert.That(kept, Is.EqualTo(toldCommitted), "exactly the rows of the members told they committed");
        });
    }
}
