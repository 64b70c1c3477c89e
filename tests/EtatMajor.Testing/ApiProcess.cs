using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EtatMajor.Testing;

/// <summary>
/// The API as an operator runs it: its build output started with `dotnet EtatMajor.Api.dll`, in a working
/// directory of the test's choosing, on a free loopback port. Its console output is kept for assertions.
/// </summary>
public sealed partial class ApiProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly TaskCompletionSource<string> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>The API's own build output (src/Api/bin/…), with its appsettings*.json beside it.</summary>
    public static string Dll { get; } = Path.Combine(Repository.Root, "src", "Api", "bin", Configuration, "net10.0", "EtatMajor.Api.dll");

    private ApiProcess(Process process) => this.process = process;

    public string BaseUrl { get; private set; } = "";

    public string Output => string.Join('\n', lines);

    public static async Task<ApiProcess> StartAsync(string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { Dll, "--urls", "http://127.0.0.1:0" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var api = new ApiProcess(Process.Start(start)!);
        api.process.OutputDataReceived += (_, e) => api.Read(e.Data);
        api.process.ErrorDataReceived += (_, e) => api.Read(e.Data);
        api.process.BeginOutputReadLine();
        api.process.BeginErrorReadLine();
        var ready = await Task.WhenAny(api.listening.Task, api.process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
        if (ready != api.listening.Task)
        {
            await api.DisposeAsync();
            throw new InvalidOperationException("The API did not start:\n" + api.Output);
        }
        api.BaseUrl = await api.listening.Task;
        return api;
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }
        lines.Enqueue(line);
        if (Listening().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(match.Groups["url"].Value);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
