using System.Reflection;
using System.Text.RegularExpressions;
using EtatMajor.SharedKernel.Data;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace EtatMajor.Architecture.Tests;

/// <summary>
/// No SQL Server runs on the development machines: every SQL Server migration script, and every statement
/// the code can send (the `const string` statements, rendered by the SQL Server dialect), must parse.
/// </summary>
public sealed partial class SqlServerScriptTests
{
    private static IEnumerable<TestCaseData> MigrationScripts() =>
        Assemblies.Modules.SelectMany(m => DatabaseMigrator.Scripts(m, DatabaseProvider.SqlServer))
            .Select(s => new TestCaseData(s.Name, s.Text).SetName($"SqlServer_migration_parses({s.Name})"));

    /// <summary>Every constant that reads as a SQL statement, in every assembly of the house.</summary>
    internal static IEnumerable<(string Name, string Sql)> Statements() =>
        Assemblies.All.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
                .Select(f => (Name: $"{t.FullName}.{f.Name}", Sql: (string)f.GetRawConstantValue()!)))
            .Where(s => SqlStatement().IsMatch(s.Sql));

    private static IEnumerable<TestCaseData> StatementCases() =>
        Statements().Select(s => new TestCaseData(s.Name, s.Sql).SetName($"SqlServer_statement_parses({s.Name})"));

    [Test]
    public void Every_module_has_migrations_for_both_providers()
    {
        Assert.Multiple(() =>
        {
            foreach (var module in Assemblies.Modules)
            {
                var sqlite = DatabaseMigrator.Scripts(module, DatabaseProvider.Sqlite).Select(s => s.Name.Split(".Sqlite.")[1]);
                var sqlServer = DatabaseMigrator.Scripts(module, DatabaseProvider.SqlServer).Select(s => s.Name.Split(".SqlServer.")[1]);
                Assert.That(sqlServer, Is.EquivalentTo(sqlite), $"{module.GetName().Name}: same scripts for both providers");
            }
        });
    }

    [Test]
    public void The_statement_catalogue_is_not_empty()
    {
        Assert.That(Statements().Count(), Is.GreaterThan(20));
    }

    [TestCaseSource(nameof(MigrationScripts))]
    public void SqlServer_migration_parses(string name, string script) => AssertParses(name, script);

    [TestCaseSource(nameof(StatementCases))]
    public void SqlServer_statement_parses(string name, string sql) => AssertParses(name, AsSent(new SqlServerDialect().Render(sql)));

    /// <summary>Dapper expands a list parameter (`IN @Ids`) into `IN (@Ids1, @Ids2…)` before the server sees it.</summary>
    private static string AsSent(string sql) => ListParameter().Replace(sql, "IN (@$1)");

    [GeneratedRegex(@"\bIN\s+@(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex ListParameter();

    [Test]
    public void The_parser_does_catch_sqlite_only_syntax()
    {
        // Proves the test can fail: a bare LIMIT is not T-SQL.
        Assert.That(Parse("SELECT id FROM t ORDER BY id LIMIT 5"), Is.Not.Empty);
        Assert.That(Parse(new SqlServerDialect().Render("SELECT id FROM t ORDER BY id LIMIT @Take")), Is.Empty);
    }

    private static void AssertParses(string name, string sql)
    {
        var errors = Parse(sql);
        Assert.That(errors, Is.Empty, $"{name}:\n{sql}\n" + string.Join("\n", errors.Select(e => $"line {e.Line}, col {e.Column}: {e.Message}")));
    }

    private static IList<ParseError> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }

    [GeneratedRegex(@"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|MERGE|WITH)\s", RegexOptions.IgnoreCase)]
    private static partial Regex SqlStatement();
}
