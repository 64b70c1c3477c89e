using Dapper;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.SharedKernel.Tests;

public sealed record RecordNote(string Text, bool Fail) : ICommand<int>;

public sealed record CountNotes : IQuery<long>;

public sealed class RecordNoteValidator : IValidator<RecordNote>
{
    public void Validate(RecordNote request, ValidationErrors errors) => errors.Required("text", request.Text, 10);
}

public sealed class RecordNoteHandler(IDbSession db, List<string> trail) : IRequestHandler<RecordNote, int>
{
    public async Task<int> Handle(RecordNote request, CancellationToken cancellationToken)
    {
        trail.Add("handler");
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

public sealed class Outer<TRequest, TResponse>(List<string> trail) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        trail.Add("outer-in");
        var response = await next();
        trail.Add("outer-out");
        return response;
    }
}

/// <summary>The mediator wiring on a real SQLite file: order of the steps, validation, one transaction per command.</summary>
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
        services.AddSingleton(options).AddSingleton<ConnectionFactory>().AddSingleton<ISqlDialect, SqliteDialect>();
        services.AddScoped<IDbSession, DbSession>().AddScoped<List<string>>();
        services.AddMediatorPipeline(typeof(Outer<,>), typeof(ValidationBehavior<,>), typeof(TransactionBehavior<,>));
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

    private async Task<T> SendAsync<T>(IRequest<T> request, List<string>? trail = null)
    {
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
        trail?.AddRange(scope.ServiceProvider.GetRequiredService<List<string>>());
        return result;
    }

    [Test]
    public async Task Behaviors_run_in_registration_order_outermost_first()
    {
        var trail = new List<string>();
        await SendAsync(new RecordNote("hello", Fail: false), trail);
        Assert.That(trail, Is.EqualTo(new[] { "outer-in", "handler", "outer-out" }));
    }

    [Test]
    public async Task Invalid_input_stops_before_the_handler_with_field_errors()
    {
        var exception = Assert.ThrowsAsync<RequestValidationException>(() => SendAsync(new RecordNote("", Fail: false)));
        Assert.That(exception!.Errors.Keys, Is.EquivalentTo(new[] { "text" }));
        Assert.That(await SendAsync(new CountNotes()), Is.Zero);
    }

    [Test]
    public async Task A_command_commits_after_its_handler_and_a_failing_one_leaves_nothing_written()
    {
        await SendAsync(new RecordNote("kept", Fail: false));
        Assert.ThrowsAsync<ConflictException>(() => SendAsync(new RecordNote("dropped", Fail: true)));
        Assert.That(await SendAsync(new CountNotes()), Is.EqualTo(1));
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
