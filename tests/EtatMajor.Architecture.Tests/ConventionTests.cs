using System.Reflection;
using System.Text.RegularExpressions;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Architecture.Tests;

/// <summary>The conventions of docs/architecture.md that a reader relies on.</summary>
public sealed partial class ConventionTests
{
    /// <summary>The table prefix each assembly owns (docs/architecture.md, "Data").</summary>
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["EtatMajor.SharedKernel"] = "job_|idem_",
        ["EtatMajor.Modules.Governance"] = "gov_",
        ["EtatMajor.Modules.Audit"] = "aud_",
        ["EtatMajor.Modules.Exchange"] = "ex_",
        ["EtatMajor.Modules.FollowUp"] = "fu_",
        ["EtatMajor.Modules.PenalPolicy"] = "pp_",
    };

    /// <summary>The tables a statement names (after FROM, JOIN, INTO, UPDATE, TABLE, and INDEX … ON).</summary>
    internal static IEnumerable<string> Tables(string sql) =>
        TableReference().Matches(Comment().Replace(sql, " ")).Select(m => m.Groups["table"].Value.ToLowerInvariant())
            // Trigger syntax (UPDATE ON t, INSTEAD OF), the pseudo-tables a SQL Server trigger reads, and its catalog
            // (sys.foreign_keys: a migration finds there the name SQL Server gave a constraint).
            .Where(t => t is not ("on" or "of" or "as" or "select" or "set" or "where" or "inserted" or "deleted" or "sys"));

    private static IEnumerable<(Assembly Assembly, string Name, string Sql)> SqlOf(Assembly assembly) =>
        SqlServerScriptTests.Statements().Where(s => s.Name.StartsWith(assembly.GetName().Name! + ".", StringComparison.Ordinal))
            .Select(s => (assembly, s.Name, s.Sql))
            .Concat(DatabaseMigrator.Scripts(assembly, DatabaseProvider.Sqlite).Concat(DatabaseMigrator.Scripts(assembly, DatabaseProvider.SqlServer))
                .Select(s => (assembly, s.Name, s.Text)));

    [Test]
    public void Each_module_reads_and_writes_only_the_tables_of_its_own_prefix()
    {
        var owners = Assemblies.All.Where(a => Prefixes.ContainsKey(a.GetName().Name!)).ToList();
        var checkedTables = 0;
        var foreign = new List<string>();
        foreach (var (assembly, name, sql) in owners.SelectMany(SqlOf))
        {
            var prefix = Prefixes[assembly.GetName().Name!];
            foreach (var table in Tables(sql))
            {
                checkedTables++;
                if (!prefix.Split('|').Any(p => table.StartsWith(p, StringComparison.Ordinal)))
                {
                    foreign.Add($"{name} names {table}, outside {prefix}*");
                }
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(checkedTables, Is.GreaterThan(100), "the test reads the statements");
            Assert.That(foreign, Is.Empty);
        });
    }

    [Test]
    public void The_table_reader_sees_the_tables_of_a_statement()
    {
        Assert.That(Tables("SELECT a FROM gov_x x JOIN aud_y y ON y.id = x.id WHERE x.at >= @From AND EXISTS (SELECT 1 FROM ex_z) ; " +
                           "INSERT INTO gov_w (a) VALUES (1); CREATE INDEX ix_v ON fu_v (a)"),
            Is.EquivalentTo(new[] { "gov_x", "aud_y", "ex_z", "gov_w", "fu_v" }));
    }

    [Test]
    public void Every_use_case_folder_holds_one_file_of_its_name()
    {
        var root = FindRoot();
        var folders = Directory.GetDirectories(Path.Combine(root, "src", "Modules"))
            .Select(module => Path.Combine(module, "Features")).Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories).ToList();
        var faults = folders
            .Where(folder => Directory.GetFiles(folder, "*.cs").Select(Path.GetFileName).ToArray() is var files
                             && !(files.Length == 1 && files[0] == Path.GetFileName(folder) + ".cs"))
            .Select(folder => Path.GetRelativePath(root, folder))
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(folders, Has.Count.GreaterThan(40), "the test finds the use cases");
            Assert.That(faults, Is.Empty, "Features/<UseCase>/<UseCase>.cs");
        });
    }

    [Test]
    public void InternalsVisibleTo_names_only_test_assemblies_and_benchmark_tools_that_exist()
    {
        var root = FindRoot();
        // bench/AuditFill writes the access log with the Audit module's own hashing and signing.
        var existing = Directory.GetDirectories(Path.Combine(root, "tests")).Concat(Directory.GetDirectories(Path.Combine(root, "bench")))
            .Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var stale = Assemblies.All
            .SelectMany(a => a.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(v => (a, v.AssemblyName)))
            .Where(p => !existing.Contains(p.AssemblyName))
            .Select(p => $"{p.a.GetName().Name} → {p.AssemblyName}")
            .ToList();
        Assert.That(stale, Is.Empty);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EtatMajor.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The tests do not run from a build inside the repository.");
    }

    [GeneratedRegex(@"--[^\n]*|/\*(?!\+).*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"(?<![@\w])(?:FROM|JOIN|INTO|UPDATE|TABLE|INDEX\s+\w+\s+ON)\s+(?<table>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex TableReference();
}
