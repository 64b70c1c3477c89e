using EtatMajor.SharedKernel.Data;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.SharedKernel.Jobs;

/// <summary>
/// A background job: a named unit of work that runs on a schedule (a checkpoint of the access log, a
/// retention erasure, a deadline reminder). It is resolved in a scope of its own and writes through
/// <see cref="IDbSession"/> inside the run's transaction; the runner commits that transaction once, with
/// the job's lease released and its next run scheduled in the same commit.
/// </summary>
public interface IJob
{
    Task RunAsync(JobRun run, CancellationToken cancellationToken);
}

/// <summary>One run of a job: when it runs, and what must commit with its effect (a system record of the access log).</summary>
public sealed class JobRun(DateTimeOffset now, UnitOfWork work)
{
    /// <summary>The instant of the run (the test clock in tests).</summary>
    public DateTimeOffset Now { get; } = now;

    public void Enlist(IUnitOfWorkParticipant participant) => work.Enlist(participant);
}

/// <summary>A job's name (its lease), its period, and how long a holder may run it before another instance takes over.</summary>
public sealed record JobDescriptor(string Name, TimeSpan Interval, Type JobType, TimeSpan LeaseDuration);

public static class JobRegistration
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(10);

    /// <summary>Registers a job; it runs every <paramref name="interval"/> on exactly one API instance at a time.</summary>
    public static IServiceCollection AddJob<TJob>(this IServiceCollection services, string name, TimeSpan interval, TimeSpan? lease = null)
        where TJob : class, IJob
    {
        services.AddScoped<TJob>();
        services.AddSingleton(new JobDescriptor(name, interval, typeof(TJob), lease ?? DefaultLease));
        return services;
    }
}
