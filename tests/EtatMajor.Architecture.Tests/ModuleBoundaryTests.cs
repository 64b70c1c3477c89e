using System.Text.RegularExpressions;
using MediatR;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NetArchTest.Rules;

namespace EtatMajor.Architecture.Tests;

public sealed partial class ModuleBoundaryTests
{
    [Test]
    public void There_is_at_least_one_module_to_check()
    {
        Assert.That(Assemblies.Modules.Select(Assemblies.ModuleName), Does.Contain("Governance"));
    }

    [Test]
    public void A_module_reaches_another_module_only_through_its_contracts()
    {
        Assert.Multiple(() =>
        {
            foreach (var module in Assemblies.Modules)
            {
                foreach (var other in Assemblies.Modules.Where(m => m != module))
                {
                    var otherRoot = other.GetName().Name!;
                    var internals = other.GetTypes()
                        .Where(t => t.Namespace is not null && !t.Namespace.StartsWith(otherRoot + ".Contracts", StringComparison.Ordinal))
                        .Select(t => t.Namespace!).Distinct().ToArray();
                    var result = Types.InAssembly(module).ShouldNot().HaveDependencyOnAny(internals).GetResult();
                    Assert.That(result.IsSuccessful, Is.True,
                        $"{Assemblies.ModuleName(module)} uses internals of {Assemblies.ModuleName(other)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
                }
            }
        });
    }

    [Test]
    public void Request_handlers_are_internal()
    {
        var handlers = Assemblies.Modules.SelectMany(m => m.GetTypes())
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)))
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(handlers, Is.Not.Empty);
            Assert.That(handlers.Where(t => t.IsPublic || t.IsNestedPublic).Select(t => t.FullName), Is.Empty);
        });
    }

    [Test]
    public void Only_the_contracts_and_the_module_registrar_of_a_module_are_public()
    {
        var exposed = Assemblies.Modules.SelectMany(m => m.GetExportedTypes())
            .Where(t => !t.Namespace!.Contains(".Contracts", StringComparison.Ordinal) && !t.Name.EndsWith("Module", StringComparison.Ordinal))
            .Select(t => t.FullName);
        Assert.That(exposed, Is.Empty);
    }

    [Test]
    public void The_api_holds_no_sql()
    {
        var dapper = Types.InAssembly(Assemblies.Api).ShouldNot().HaveDependencyOnAny("Dapper", "Microsoft.Data.Sqlite", "Microsoft.Data.SqlClient").GetResult();
        Assert.That(dapper.IsSuccessful, Is.True, string.Join(", ", dapper.FailingTypeNames ?? []));

        using var module = ModuleDefinition.ReadModule(Assemblies.Api.Location);
        var sql = module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody)
            .SelectMany(m => m.Body.Instructions.Where(i => i.OpCode == OpCodes.Ldstr).Select(i => (string)i.Operand))
            .Concat(module.GetTypes().SelectMany(t => t.Fields).Where(f => f.HasConstant && f.Constant is string).Select(f => (string)f.Constant))
            .Where(text => SqlStatement().IsMatch(text))
            .ToList();
        Assert.That(sql, Is.Empty, "SQL belongs to the modules' Data or feature folders, not to the composition root");
    }

    [GeneratedRegex(@"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|MERGE|PRAGMA)\s", RegexOptions.IgnoreCase)]
    private static partial Regex SqlStatement();
}
