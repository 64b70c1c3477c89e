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

    [Test]
    public void The_catalogue_holds_exactly_the_rules_of_the_domain_page()
    {
        var page = FindDomainPage();
        if (page is null)
        {
            Assert.Ignore("shared/docs/domain.md is not beside this clone.");
        }
        var ids = RuleRow().Matches(File.ReadAllText(page)).Select(m => m.Groups["id"].Value).ToList();
        Assert.That(ids, Has.Count.GreaterThan(20));
        Assert.That(LegalRules.All.Select(r => r.Id), Is.EquivalentTo(ids));
    }

    private static string? FindDomainPage()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "docs", "domain.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    [GeneratedRegex(@"^\| (?<id>[A-Z]+-\d+) \|", RegexOptions.Multiline)]
    private static partial Regex RuleRow();
}
