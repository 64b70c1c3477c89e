using System.Diagnostics;

namespace EtatMajor.Testing;

/// <summary>The repository this test run was built from, and the API run as the docs say (`dotnet run --project src/Api`).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

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

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>`dotnet run --project src/Api -- ARGS` from <paramref name="workingDirectory"/>, on the build the tests use.</summary>
    public static async Task<(int ExitCode, string Output)> DotnetRunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--project", "src/Api", "--no-build", "-c", Configuration, "--" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
