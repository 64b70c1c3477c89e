using System.Text.RegularExpressions;
using EtatMajor.SharedKernel.Law;

namespace EtatMajor.SharedKernel.Tests;

public sealed partial class LegalRulesTests
{
    [Test]
    public void Rule_ids_are_unique_and_each_names_its_legal_basis()
    {
        Assert.Multiple(() =>
        {
            Assert.That(LegalRules.All.Select(r => r.Id), Is.Unique);
            Assert.That(LegalRules.All.Select(r => r.LegalBasis), Is.All.Not.Empty);
            Assert.That(LegalRules.All.Select(r => r.Summary), Is.All.Not.Empty);
        });
    }

    /// <summary>
    /// docs/domain.md is the repository's copy of the domain page; where CI lays the team's shared folder beside
    /// the clone (../shared/docs/domain.md), the copy must hold the same rules, so that a new version of the page
    /// is noticed here first.
    /// </summary>
    [Test]
    public void The_catalogue_holds_exactly_the_rules_of_the_domain_page()
    {
        var root = RepositoryRoot();
        var page = File.ReadAllText(Path.Combine(root, "docs", "domain.md"));
        var ids = Rules(page);
        Assert.That(ids, Has.Count.GreaterThan(20));
        Assert.That(LegalRules.All.Select(r => r.Id), Is.EquivalentTo(ids));
        var shared = Path.Combine(root, "..", "shared", "docs", "domain.md");
        if (File.Exists(shared))
        {
            Assert.That(RuleRows(page), Is.EqualTo(RuleRows(File.ReadAllText(shared))), "docs/domain.md has the rules of ../shared/docs/domain.md");
        }
    }

    private static List<string> Rules(string page) => RuleRow().Matches(page).Select(m => m.Groups["id"].Value).ToList();

    private static List<string> RuleRows(string page) => page.Split('\n').Where(l => RuleRow().IsMatch(l)).Select(l => l.Trim()).ToList();

    private static string RepositoryRoot()
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

    [GeneratedRegex(@"^\| (?<id>[A-Z]+-\d+) \|", RegexOptions.Multiline)]
    private static partial Regex RuleRow();
}
