using EtatMajor.SharedKernel.Data;
using Microsoft.Data.SqlClient;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;

namespace EtatMajor.Api.Tests;

/// <summary>
/// The SQL Server suite in one line: every <see cref="ApiTest"/> fixture runs again on SQL Server when
/// ETATMAJOR_TEST_SQLSERVER holds a connection string. Without it this test is skipped once, saying how many
/// tests that leaves out; with it, it checks that the server answers.
/// </summary>
public sealed class SqlServerSuiteTests
{
    /// <summary>How many tests the SQL Server suite holds: the test cases of every fixture built for SQLite.</summary>
    private static int SuiteSize() =>
        typeof(SqlServerSuiteTests).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(ApiTest)))
            .Sum(t => new DefaultSuiteBuilder().BuildFrom(new TypeWrapper(t)).Tests
                .Where(fixture => fixture.Arguments.Contains(DatabaseProvider.Sqlite))
                .Sum(fixture => fixture.TestCaseCount));

    /// <summary>The test's name says it all on the one line `dotnet test` prints for a skipped test.</summary>
    private static IEnumerable<TestCaseData> Suite() =>
    [
        new TestCaseData(Providers.SqlServerConfigured).SetName(Providers.SqlServerConfigured
            ? "SqlServer_suite_runs_the_HTTP_suite_again_on_the_configured_server"
            : $"SqlServer_suite_{SuiteSize()}_tests_need_{ApiFactory.SqlServerVariable}"),
    ];

    [TestCaseSource(nameof(Suite))]
    public async Task SqlServerSuite(bool configured)
    {
        if (!configured)
        {
            Assert.Ignore($"{SuiteSize()} tests need {ApiFactory.SqlServerVariable} (the HTTP suite again, on SQL Server): " +
                          "set it to a connection string of a server where the tests may create and drop databases.");
        }
        await using var connection = new SqlConnection(Environment.GetEnvironmentVariable(ApiFactory.SqlServerVariable));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(1));
    }
}
