using System.Reflection;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Architecture.Tests;

/// <summary>The assemblies of the house, found from the Api's references (the composition root lists every module).</summary>
internal static class Assemblies
{
    public static Assembly Api { get; } = typeof(Program).Assembly;

    public static Assembly SharedKernel { get; } = typeof(IDbSession).Assembly;

    public static IReadOnlyList<Assembly> Modules { get; } = Api.GetReferencedAssemblies()
        .Where(name => name.Name!.StartsWith("EtatMajor.Modules.", StringComparison.Ordinal))
        .Select(Assembly.Load)
        .ToList();

    public static IEnumerable<Assembly> All => [Api, SharedKernel, .. Modules];

    public static string ModuleName(Assembly module) => module.GetName().Name!["EtatMajor.Modules.".Length..];
}
