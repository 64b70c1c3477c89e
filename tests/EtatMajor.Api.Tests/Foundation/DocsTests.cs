using System.Text.RegularExpressions;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>
/// Issue 8, point 1: docs/getting-started.md shows the commands of docs/tour.sh (which CI runs against a real
/// process), so what a newcomer pastes is what was proven; and every variable is set above its first use.
/// </summary>
public sealed partial class DocsTests
{
    private static string Read(string path) => File.ReadAllText(Path.Combine(Repository.Root, path));

    /// <summary>The lines of the ```bash blocks of a Markdown page, in order.</summary>
    private static List<string> BashLines(string markdown) =>
        BashBlock().Matches(markdown).SelectMany(m => m.Groups["code"].Value.Split('\n')).ToList();

    /// <summary>The command lines of the script's tour: from step 0 on, without comments and step titles.</summary>
    private static List<string> TourCommands()
    {
        var lines = Read("docs/tour.sh").Split('\n');
        return lines.SkipWhile(l => !l.StartsWith("# --- 0.", StringComparison.Ordinal))
            .Where(IsCommand).Where(l => !StepTitle().IsMatch(l)).ToList();
    }

    private static bool IsCommand(string line) => line.Trim().Length > 0 && !line.TrimStart().StartsWith('#');

    [Test]
    public void The_getting_started_guide_shows_exactly_the_commands_of_the_tour_in_the_same_order()
    {
        var guide = BashLines(Read("docs/getting-started.md")).Where(IsCommand).ToList();
        var tour = TourCommands();
        Assert.That(tour, Has.Count.GreaterThan(50), "the test reads the tour");
        Assert.That(guide, Is.EqualTo(tour), "docs/getting-started.md and docs/tour.sh differ: copy the changed lines from the script");
    }

    /// <summary>The guides that continue the tour start with every variable the tour sets.</summary>
    [TestCase("docs/getting-started.md", false)]
    [TestCase("docs/tour.sh", false)]
    [TestCase("docs/governance.md", true)]
    [TestCase("docs/exchanges.md", true)]
    [TestCase("docs/audit.md", true)]
    public void Every_variable_is_set_above_its_first_use(string path, bool continuesTheTour)
    {
        var text = Read(path);
        var lines = path.EndsWith(".md", StringComparison.Ordinal) ? BashLines(text) : [.. text.Split('\n')];
        var set = continuesTheTour
            ? TourCommands().SelectMany(l => Assignment().Matches(l).Select(m => m.Groups["name"].Value)).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        Assert.That(lines.Where(IsCommand).ToList(), Is.Not.Empty, "the page has commands");
        var unset = new List<string>();
        var inFunction = false;
        foreach (var line in lines.Where(IsCommand))
        {
            // A function's body runs when it is called, with what is set by then.
            inFunction = inFunction ? !line.StartsWith('}') : FunctionStart().IsMatch(line) && !line.TrimEnd().EndsWith('}');
            if (inFunction || FunctionStart().IsMatch(line))
            {
                continue;
            }
            foreach (Match use in Use().Matches(line))
            {
                var name = use.Groups["name"].Value;
                if (!set.Contains(name) && !name.StartsWith("ETATMAJOR_", StringComparison.Ordinal) && !ShellVariables.Contains(name))
                {
                    unset.Add($"{name} in: {line.Trim()}");
                }
            }
            foreach (Match assignment in Assignment().Matches(line))
            {
                set.Add(assignment.Groups["name"].Value);
            }
        }
        Assert.That(set, Has.Count.GreaterThan(10), "the test reads the variables");
        Assert.That(unset, Is.Empty);
    }

    [Test]
    public void The_readme_names_the_two_commands_and_the_tour()
    {
        var readme = Read("README.md");
        Assert.Multiple(() =>
        {
            Assert.That(readme, Does.Contain("dotnet run --project src/Api"));
            Assert.That(readme, Does.Contain("dotnet test"));
            Assert.That(readme, Does.Contain("bash docs/tour.sh"));
            Assert.That(Read(".ci/run"), Does.Contain("docs/tour.sh"), "CI runs the tour");
        });
    }

    /// <summary>Set by bash itself, or by the environment with a default given at first use.</summary>
    private static readonly HashSet<string> ShellVariables = new(StringComparer.Ordinal) { "BASH_SOURCE", "HOME", "PATH" };

    [GeneratedRegex(@"```bash\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex(@"^echo ""(\d+\.|The tour)")]
    private static partial Regex StepTitle();

    [GeneratedRegex(@"^\w+\(\) \{")]
    private static partial Regex FunctionStart();

    // An assignment: NAME=… at the start of a command, or as the prefix of one (AS=$TOKEN call …).
    [GeneratedRegex(@"(?:^|[\s(])(?<name>[A-Z][A-Z0-9_]*)=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\$\{?(?<name>[A-Z][A-Z0-9_]*)")]
    private static partial Regex Use();
}
