using System.Data.Common;
using Dapper;
using EtatMajor.SharedKernel.Data;
using Microsoft.Data.Sqlite;

namespace EtatMajor.SharedKernel.Tests;

/// <summary>
/// Issue 13: on SQLite, sessions borrow open connections that keep their prepared statements; a statement is parsed
/// and planned once per connection, whatever the number of requests, and nothing of one use stays bound for the next.
/// </summary>
public sealed class PreparedStatementsTests
{
    private string directory = "";
    private ConnectionFactory factory = null!;

    [SetUp]
    public async Task SetUp()
    {
        TypeHandlers.Register();
        directory = Directory.CreateTempSubdirectory("etatmajor-prepared-").FullName;
        factory = new ConnectionFactory(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={directory}/t.db"));
        await using var session = new DbSession(factory, new SqliteDialect());
        await session.ExecuteAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
        await session.ExecuteAsync("INSERT INTO notes (id, text) VALUES (1, 'un'), (2, 'deux'), (3, 'trois')");
    }

    [TearDown]
    public void TearDown()
    {
        factory.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>How many statements the connection the pool lends next has prepared so far.</summary>
    private async Task<int> PreparedOnNextConnectionAsync()
    {
        var connection = await factory.RentAsync(CancellationToken.None);
        factory.Return(connection);
        return ((PreparedSqliteConnection)connection).Prepared;
    }

    [Test]
    public async Task A_statement_run_by_many_sessions_is_prepared_once_and_reused()
    {
        const string byId = "SELECT text FROM notes WHERE id = @Id";
        var before = await PreparedOnNextConnectionAsync();
        var texts = new List<string?>();
        for (var i = 1; i <= 3; i++)
        {
            await using var session = new DbSession(factory, new SqliteDialect());
            texts.Add(await session.QuerySingleOrDefaultAsync<string>(byId, new { Id = i }));
        }
        Assert.Multiple(async () =>
        {
            Assert.That(texts, Is.EqualTo(new[] { "un", "deux", "trois" }), "each use binds its own value");
            Assert.That(await PreparedOnNextConnectionAsync() - before, Is.EqualTo(1), "prepared once for three sessions, then kept");
        });
    }

    [Test]
    public async Task Nothing_bound_for_one_use_stays_for_the_next_a_missing_parameter_is_an_error()
    {
        const string byId = "SELECT text FROM notes WHERE id = @Id";
        await using var session = new DbSession(factory, new SqliteDialect());
        Assert.That(await session.QuerySingleOrDefaultAsync<string>(byId, new { Id = 2 }), Is.EqualTo("deux"));
        // The same prepared statement, without its parameter: refused, not answered with the value of the last use.
        var refused = Assert.ThrowsAsync<InvalidOperationException>(async () => await session.QuerySingleOrDefaultAsync<string>(byId, new { Other = 1 }));
        Assert.That(refused!.Message, Does.Contain("@Id"));
    }

    [Test]
    public async Task A_list_parameter_expands_to_a_statement_per_length_each_with_its_values()
    {
        await using var session = new DbSession(factory, new SqliteDialect());
        var two = await session.QueryAsync<string>("SELECT text FROM notes WHERE id IN @Ids ORDER BY id", new { Ids = new[] { 1, 3 } });
        var three = await session.QueryAsync<string>("SELECT text FROM notes WHERE id IN @Ids ORDER BY id", new { Ids = new[] { 1, 2, 3 } });
        var twoAgain = await session.QueryAsync<string>("SELECT text FROM notes WHERE id IN @Ids ORDER BY id", new { Ids = new[] { 2, 3 } });
        Assert.Multiple(() =>
        {
            Assert.That(two, Is.EqualTo(new[] { "un", "trois" }));
            Assert.That(three, Is.EqualTo(new[] { "un", "deux", "trois" }));
            Assert.That(twoAgain, Is.EqualTo(new[] { "deux", "trois" }));
        });
    }

    [Test]
    public async Task A_transaction_keeps_its_connection_and_what_it_rolls_back_is_seen_by_no_other_statement()
    {
        await using var writer = new DbSession(factory, new SqliteDialect());
        await writer.BeginAsync(CancellationToken.None);
        await writer.ExecuteAsync("INSERT INTO notes (id, text) VALUES (4, 'quatre')");
        // Inside the transaction its own write is seen; another session, on another connection, does not see it.
        Assert.That(await writer.QuerySingleOrDefaultAsync<long>("SELECT COUNT(*) FROM notes"), Is.EqualTo(4));
        await using (var reader = new DbSession(factory, new SqliteDialect()))
        {
            Assert.That(await reader.QuerySingleOrDefaultAsync<long>("SELECT COUNT(*) FROM notes"), Is.EqualTo(3));
        }
        await writer.RollbackAsync(CancellationToken.None);
        await using var after = new DbSession(factory, new SqliteDialect());
        Assert.That(await after.QuerySingleOrDefaultAsync<long>("SELECT COUNT(*) FROM notes"), Is.EqualTo(3));
    }

    [Test]
    public async Task Every_transaction_runs_on_the_one_writer_where_BEGIN_its_statements_and_COMMIT_are_prepared_once()
    {
        for (var i = 10; i < 13; i++)
        {
            await using var session = new DbSession(factory, new SqliteDialect());
            await session.BeginAsync(CancellationToken.None);
            await session.ExecuteAsync("INSERT INTO notes (id, text) VALUES (@Id, 'n')", new { Id = i });
            await session.CommitAsync(CancellationToken.None);
        }
        await using (var rolledBack = new DbSession(factory, new SqliteDialect()))
        {
            await rolledBack.BeginAsync(CancellationToken.None);
            await rolledBack.ExecuteAsync("INSERT INTO notes (id, text) VALUES (@Id, 'n')", new { Id = 20 });
            // Disposed without a commit: rolled back.
        }
        var writer = await factory.RentForTransactionAsync(CancellationToken.None);
        factory.Return(writer);
        await using var reader = new DbSession(factory, new SqliteDialect());
        Assert.Multiple(async () =>
        {
            Assert.That(((PreparedSqliteConnection)writer).Prepared, Is.EqualTo(7),
                "BEGIN IMMEDIATE, SAVEPOINT, the INSERT, RELEASE, COMMIT, ROLLBACK TO and ROLLBACK, each once");
            Assert.That(await reader.QuerySingleOrDefaultAsync<long>("SELECT COUNT(*) FROM notes WHERE id >= 10"), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task A_connection_given_back_with_its_transaction_open_is_closed_not_lent_again()
    {
        var connection = await factory.RentAsync(CancellationToken.None);
        await using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        factory.Return(connection);
        Assert.That(connection.State, Is.EqualTo(System.Data.ConnectionState.Closed), "closed: its transaction ended with it");
        var next = await factory.RentAsync(CancellationToken.None);
        try
        {
            Assert.That(next, Is.Not.SameAs(connection));
            // The write lock was released with it: the next connection writes.
            Assert.That(await next.ExecuteAsync("INSERT INTO notes (id, text) VALUES (5, 'cinq')"), Is.EqualTo(1));
        }
        finally
        {
            factory.Return(next);
        }
    }

    [Test]
    public async Task A_blob_stream_keeps_its_connection_while_open_and_gives_it_back_once_disposed()
    {
        await using var session = new DbSession(factory, new SqliteDialect());
        await session.ExecuteAsync("CREATE TABLE blobs (id INTEGER PRIMARY KEY, content BLOB NOT NULL)");
        await session.ExecuteAsync("INSERT INTO blobs (id, content) VALUES (1, @Content)", new { Content = new byte[] { 1, 2, 3 } });
        var idle = await factory.RentAsync(CancellationToken.None);
        factory.Return(idle);
        var stream = await session.OpenBlobAsync("SELECT id, content FROM blobs WHERE id = @Id", new { Id = 1 });
        // The stream took the idle connection: the next one lent is a new one.
        var during = await factory.RentAsync(CancellationToken.None);
        factory.Return(during);
        var bytes = new byte[3];
        await stream!.ReadExactlyAsync(bytes);
        await stream.DisposeAsync();
        // Given back once (disposing twice does not give it twice): the two connections are idle, the stream's on top.
        await stream.DisposeAsync();
        var first = await factory.RentAsync(CancellationToken.None);
        var second = await factory.RentAsync(CancellationToken.None);
        var third = await factory.RentAsync(CancellationToken.None);
        factory.Return(first);
        factory.Return(second);
        factory.Return(third);
        Assert.Multiple(async () =>
        {
            Assert.That(bytes, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(during, Is.Not.SameAs(idle));
            Assert.That(first, Is.SameAs(idle));
            Assert.That(second, Is.SameAs(during));
            Assert.That(third, Is.Not.SameAs(idle).And.Not.SameAs(during));
            Assert.That(await session.OpenBlobAsync("SELECT id, content FROM blobs WHERE id = @Id", new { Id = 2 }), Is.Null);
        });
    }

    [Test]
    public async Task A_blob_read_inside_a_transaction_and_closed_after_it_does_not_give_the_writer_back_twice()
    {
        await using (var setup = new DbSession(factory, new SqliteDialect()))
        {
            await setup.ExecuteAsync("CREATE TABLE blobs (id INTEGER PRIMARY KEY, content BLOB NOT NULL)");
            await setup.ExecuteAsync("INSERT INTO blobs (id, content) VALUES (1, @Content)", new { Content = new byte[] { 7 } });
        }
        await using var first = new DbSession(factory, new SqliteDialect());
        await first.BeginAsync(CancellationToken.None);
        var stream = await first.OpenBlobAsync("SELECT id, content FROM blobs WHERE id = @Id", new { Id = 1 });
        await first.CommitAsync(CancellationToken.None);
        // Another session's transaction takes the writer; the first session's stream is closed in the middle of it.
        await using var second = new DbSession(factory, new SqliteDialect());
        await second.BeginAsync(CancellationToken.None);
        await second.ExecuteAsync("INSERT INTO notes (id, text) VALUES (30, 'trente')");
        await stream!.DisposeAsync();
        await second.CommitAsync(CancellationToken.None);
        await using var reader = new DbSession(factory, new SqliteDialect());
        Assert.That(await reader.QuerySingleOrDefaultAsync<string>("SELECT text FROM notes WHERE id = 30"), Is.EqualTo("trente"),
            "the second transaction committed on a writer the stream did not close under it");
    }
}
