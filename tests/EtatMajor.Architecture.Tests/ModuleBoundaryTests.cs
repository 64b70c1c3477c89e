using System.Text.RegularExpressions;
using MediatR;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NetArchTest.Rules;
using EtatMajor.SharedKernel.Disclosures;

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
                        .Where(t => t.Namespace is not null && t.Namespace.StartsWith(otherRoot, StringComparison.Ordinal)
                                    && !t.Namespace.StartsWith(otherRoot + ".Contracts", StringComparison.Ordinal))
                        // Full type names, not namespaces: NetArchTest matches by prefix, and the module's root
                        // namespace is a prefix of its Contracts.
                        .Where(t => !t.Name.StartsWith('<'))
                        .Select(t => t.FullName!).Distinct().ToArray();
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

/// <summary>
/// No request escapes the policy step: each request of the house says whether it discloses (IDisclosure) or not
/// (INotADisclosure), and the composed pipeline runs its steps in the declared order for every one.
/// </summary>
public sealed class PipelineCompositionTests
{
    private static readonly string[] Order =
        ["AuditBehavior`2", "ValidationBehavior`2", "ContentStep`2", "StagingStep`2", "TransactionBehavior`2", "DecisionStep`2"];

    private static List<Type> Requests() => Assemblies.Modules.SelectMany(m => m.GetTypes())
        .Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(MediatR.IRequest<>)))
        .ToList();

    [Test]
    public void CONF_1_every_request_declares_whether_it_discloses_and_exactly_one_of_the_two()
    {
        var requests = Requests();
        var disclosures = requests.Where(t => typeof(IDisclosure).IsAssignableFrom(t)).Select(t => t.Name).ToList();
        var undeclared = requests.Where(t => typeof(IDisclosure).IsAssignableFrom(t) == typeof(INotADisclosure).IsAssignableFrom(t)).Select(t => t.FullName);
        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Count.GreaterThan(30), "the test finds the requests");
            Assert.That(disclosures, Is.SupersetOf(new[] { "SendExchange", "CheckExchange", "ForwardExchange" }));
            Assert.That(undeclared, Is.Empty, "each request is either an IDisclosure or an INotADisclosure");
        });
    }

    [Test]
    public async Task CONF_1_the_composed_pipeline_runs_the_steps_in_order_for_every_request()
    {
        using var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Testing")
            .UseSetting("ConnectionStrings:EtatMajor", $"Data Source={Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))}.db"));
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Multiple(() =>
        {
            foreach (var request in Requests())
            {
                var response = request.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(MediatR.IRequest<>)).GetGenericArguments()[0];
                var behaviors = scope.ServiceProvider.GetServices(typeof(MediatR.IPipelineBehavior<,>).MakeGenericType(request, response)).Select(b => b!.GetType().Name);
                // Recorded, validated, content read outside any lock, large contents stored in short transactions, unit of work begun,
                // decided on facts read inside it.
                Assert.That(behaviors, Is.EqualTo(Order), request.Name);
            }
        });
    }
}
