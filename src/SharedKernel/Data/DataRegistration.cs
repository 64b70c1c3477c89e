using EtatMajor.SharedKernel.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.SharedKernel.Data;

public static class DataRegistration
{
    /// <summary>
    /// The database for the whole house: connections, the dialect, one <see cref="DbSession"/> and one
    /// <see cref="UnitOfWork"/> per scope (a request, a job run), the migrator (the kernel's own tables first), and
    /// the job runner.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services, DatabaseOptions database)
    {
        TypeHandlers.Register();
        services.AddSingleton(database);
        services.AddSingleton<ConnectionFactory>();
        services.AddSingleton<ISqlDialect>(database.Provider == DatabaseProvider.Sqlite ? new SqliteDialect() : new SqlServerDialect());
        services.AddScoped<DbSession>();
        services.AddScoped<IDbSession>(provider => provider.GetRequiredService<DbSession>());
        services.AddScoped<UnitOfWork>();
        services.AddScoped<Content.StagedContents>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton(new MigrationSource("kernel", typeof(DataRegistration).Assembly));
        services.AddSingleton<JobRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<JobRunner>());
        return services;
    }
}
