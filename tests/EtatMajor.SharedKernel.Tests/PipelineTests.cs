using Dapper;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Disclosures;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.SharedKernel.Tests;

public sealed record RecordNote(string Text, bool Fail) : ICommand<int>, INotADisclosure;

public sealed record CountNotes : IQuery<long>, INotADisclosure;

public sealed class RecordNoteValidator(List<string> trail) : IValidator<RecordNote>
{
    public void Validate(RecordNote request, ValidationErrors errors)
    {
        trail.Add("validation");
        errors.Required("text", request.Text, 10);
    }
}

public sealed class RecordNoteHandler(IDbSession db, List<string> trail) : IRequestHandler<RecordNote, int>
{
    public async Task<int> Handle(RecordNote request, CancellationToken cancellationToken)
    {
        trail.Add(db.InTransaction ? "handler in a transaction" : "handler without a transaction");
        await db.ExecuteAsync("INSERT INTO notes (text) VALUES (@Text)", new { request.Text }, cancellationToken);
        if (request.Fail)
        {
            throw new ConflictException("failing after the write");
        }
        return 1;
    }
}

public sealed class CountNotesHandler(IDbSession db) : IRequestHandler<CountNotes, long>
{
    public async Task<long> Handle(CountNotes request, CancellationToken cancellationToken) =>
        await db.QuerySingleOrDefaultAsync<long>("SELECT COUNT(*) FROM notes", null, cancellationToken);
}

/// <summary>A step that writes its name to the trail on the way in and on the way out.</summary>
public abstract class Recording<TRequest, TResponse>(List<string> trail, string name) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        trail.Add($"{name} in");
        var response = await next();
        trail.Add($"{name} out");
        return response;
    }
}

public sealed class Outer<TRequest, TResponse>(List<string> trail) : Recording<TRequest, TResponse>(trail, "outer");

public sealed class Inner<TRequest, TResponse>(List<string> trail) : Recording<TRequest, TResponse>(trail, "inner");

/// <summary>A row the unit of work's owner adds to the same commit (as the access log adds its record).</summary>
public sealed class NoteParticipant(string text) : IUnitOfWorkParticipant
{
    public Task WriteAsync(IDbSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO notes (text) VALUES (@Text)", new { Text = text }, cancellationToken);
}

/// <summary>
/// The mediator wiring on a real SQLite file: steps in registration order (every step records, so that swapping
/// two fails), validation before the handler, and the unit of work — begun by the transaction step, committed once
/// by its owner (here the test, as the access log in the API) with its participants, or not at all.
/// </summary>
public sealed class PipelineTests
{
    private string directory = null!;
    private ServiceProvider provider = null!;

    [SetUp]
    public void Start()
    {
        directory = Directory.CreateTempSubdirectory("etatmajor-pipeline-").FullName;
        var options = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "p.db")};Foreign Keys=True");
        using (var connection = new SqliteConnection(options.ConnectionString))
        {
            connection.Execute("CREATE TABLE notes (text TEXT NOT NULL)");
        }
        var services = new ServiceCollection();
        services.AddLogging().AddDatabase(options).AddScoped<List<string>>();
        services.AddMediatorPipeline(typeof(Outer<,>), typeof(ValidationBehavior<,>), typeof(TransactionBehavior<,>), typeof(Inner<,>));
        services.AddHandlersFrom(typeof(PipelineTests).Assembly);
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    [TearDown]
    public void Stop()
    {
        provider.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Sends a request as the owner of its unit of work: commit when it succeeds, roll back when it fails.</summary>
    private async Task<T> SendAsync<T>(IRequest<T> request, List<string>? trail = null, IUnitOfWorkParticipant? participant = null)
    {
        await using var scope = provider.CreateAsyncScope();
        var work = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        try
        {
            var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
            if (participant is not null)
            {
                work.Enlist(participant);
            }
            await work.CommitAsync(CancellationToken.None);
            return result;
        }
        catch
        {
            await work.RollbackAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            trail?.AddRange(scope.ServiceProvider.GetRequiredService<List<string>>());
        }
    }

    [Test]
    public async Task Every_step_runs_in_registration_order_outermost_first_and_the_handler_inside_the_transaction()
    {
        var trail = new List<string>();
        await SendAsync(new RecordNote("hello", Fail: false), trail);
        Assert.That(trail, Is.EqualTo(new[] { "outer in", "validation", "inner in", "handler in a transaction", "inner out", "outer out" }));
    }

    [Test]
    public async Task Invalid_input_stops_before_the_handler_with_field_errors()
    {
        var trail = new List<string>();
        var exception = Assert.ThrowsAsync<RequestValidationException>(() => SendAsync(new RecordNote("", Fail: false), trail));
        Assert.Multiple(async () =>
        {
            Assert.That(exception!.Errors.Keys, Is.EquivalentTo(new[] { "text" }));
            Assert.That(trail, Is.EqualTo(new[] { "outer in", "validation" }));
            Assert.That(await SendAsync(new CountNotes()), Is.Zero);
        });
    }

    [Test]
    public async Task The_owner_commits_the_effect_and_its_participants_once_and_a_failing_command_leaves_nothing_written()
    {
        await SendAsync(new RecordNote("kept", Fail: false), participant: new NoteParticipant("its record"));
        Assert.ThrowsAsync<ConflictException>(() => SendAsync(new RecordNote("dropped", Fail: true), participant: new NoteParticipant("never")));
        Assert.That(await SendAsync(new CountNotes()), Is.EqualTo(2), "the note and its participant's row; nothing of the failed command");
    }

    [Test]
    public async Task A_rollback_runs_every_compensation_even_when_one_fails_and_a_commit_runs_none()
    {
        var ran = new List<string>();
        await using (var scope = provider.CreateAsyncScope())
        {
            var work = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            await work.BeginAsync(CancellationToken.None);
            work.OnRollback(() => throw new IOException("the store is gone"));
            work.OnRollback(() => { ran.Add("second"); return Task.CompletedTask; });
            await work.RollbackAsync(CancellationToken.None);
        }
        await using (var scope = provider.CreateAsyncScope())
        {
            var work = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            await work.BeginAsync(CancellationToken.None);
            work.OnRollback(() => { ran.Add("after a commit"); return Task.CompletedTask; });
            await work.CommitAsync(CancellationToken.None);
            await work.RollbackAsync(CancellationToken.None);
        }
        Assert.That(ran, Is.EqualTo(new[] { "second" }));
    }

    [Test]
    public async Task Without_its_owner_a_command_commits_nothing()
    {
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RecordNote("orphan", Fail: false));
        }
        Assert.That(await SendAsync(new CountNotes()), Is.Zero, "the transaction step begins; only the owner commits");
    }
}

/// <summary>GUIDs, instants and dates round-trip through SQLite as sortable text.</summary>
public sealed class TypeHandlerTests
{
    [Test]
    public async Task Guids_instants_and_dates_round_trip_as_sortable_text()
    {
        TypeHandlers.Register();
        var directory = Directory.CreateTempSubdirectory("etatmajor-types-").FullName;
        try
        {
            await using var session = new DbSession(new ConnectionFactory(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={directory}/t.db")), new SqliteDialect());
            await session.ExecuteAsync("CREATE TABLE t (id TEXT, at TEXT, day TEXT)");
            var id = Guid.CreateVersion7();
            var at = new DateTimeOffset(2026, 3, 14, 9, 26, 53, 589, TimeSpan.FromHours(1));
            var day = new DateOnly(2026, 1, 31);
            await session.ExecuteAsync("INSERT INTO t (id, at, day) VALUES (@id, @at, @day)", new { id, at, day });
            var raw = await session.QuerySingleOrDefaultAsync<(string Id, string At, string Day)>("SELECT id AS Id, at AS At, day AS Day FROM t");
            var typed = await session.QuerySingleOrDefaultAsync<(Guid Id, DateTimeOffset At, DateOnly Day)>("SELECT id AS Id, at AS At, day AS Day FROM t");
            Assert.Multiple(() =>
            {
                Assert.That(raw.Id, Is.EqualTo(id.ToString()));
                Assert.That(raw.At, Is.EqualTo("2026-03-14T08:26:53.589Z"));
                Assert.That(raw.Day, Is.EqualTo("2026-01-31"));
                Assert.That(typed.Id, Is.EqualTo(id));
                Assert.That(typed.At, Is.EqualTo(at));
                Assert.That(typed.At.Offset, Is.EqualTo(TimeSpan.Zero));
                Assert.That(typed.Day, Is.EqualTo(day));
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
