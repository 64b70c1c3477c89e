using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Validation;
using Microsoft.Extensions.Configuration;

namespace EtatMajor.SharedKernel.Tests;

public sealed class KebabTests
{
    [TestCase(OrganisationKind.PoliceNationale, "police-nationale")]
    [TestCase(OrganisationKind.ProcureurGeneral, "procureur-general")]
    [TestCase(OrganisationKind.Jap, "jap")]
    [TestCase(OrganisationKind.AdministrationEtat, "administration-etat")]
    public void Enum_values_are_lower_case_kebab_strings(OrganisationKind kind, string expected)
    {
        Assert.That(kind.ToKebab(), Is.EqualTo(expected));
        Assert.That(Kebab.Parse<OrganisationKind>(expected), Is.EqualTo(kind));
    }

    [TestCase("Police-Nationale")]
    [TestCase("PoliceNationale")]
    [TestCase("3")]
    [TestCase("")]
    public void Other_spellings_are_refused(string value) =>
        Assert.That(Kebab.TryParse<OrganisationKind>(value, out _), Is.False);
}

public sealed class PagingTests
{
    [TestCase(0)]
    [TestCase(501)]
    [TestCase(-1)]
    public void Limits_outside_1_to_500_are_field_errors(int limit)
    {
        var errors = new ValidationErrors();
        PageRequest.From(limit, null, errors);
        Assert.That(errors.ToDictionary().Keys, Is.EquivalentTo(new[] { "limit" }));
    }

    [Test]
    public void The_default_limit_is_50_and_one_more_row_is_asked_to_know_whether_a_next_page_exists()
    {
        var page = PageRequest.From(null, null, new ValidationErrors());
        Assert.Multiple(() =>
        {
            Assert.That(page.Limit, Is.EqualTo(50));
            Assert.That(page.Take, Is.EqualTo(51));
        });
    }

    [Test]
    public void The_next_cursor_carries_the_last_key_and_reads_back()
    {
        var first = PageRequest.From(2, null, new ValidationErrors());
        var page = first.ToPage(["a", "b", "c"], s => s);
        Assert.That(page.Items, Is.EqualTo(new[] { "a", "b" }));
        var errors = new ValidationErrors();
        var next = PageRequest.From(2, page.NextCursor, errors);
        Assert.Multiple(() =>
        {
            Assert.That(errors.Any, Is.False);
            Assert.That(next.After, Is.EqualTo("b"));
            Assert.That(first.ToPage(["a", "b"], s => s).NextCursor, Is.Null, "no next page when the rows fit");
        });
    }

    [TestCase("***")]
    [TestCase("")]
    public void A_cursor_not_made_by_the_api_is_a_field_error(string cursor)
    {
        var errors = new ValidationErrors();
        PageRequest.From(null, cursor, errors);
        Assert.That(errors.ToDictionary().Keys, Is.EquivalentTo(new[] { "cursor" }));
    }
}

public sealed class DialectTests
{
    [Test]
    public void Sql_server_pages_with_offset_fetch_and_sqlite_keeps_limit()
    {
        const string sql = "SELECT id FROM t WHERE id > @After ORDER BY id LIMIT @Take";
        Assert.Multiple(() =>
        {
            Assert.That(new SqlServerDialect().Render(sql), Is.EqualTo("SELECT id FROM t WHERE id > @After ORDER BY id OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY"));
            Assert.That(new SqliteDialect().Render(sql), Is.EqualTo(sql));
            Assert.That(new SqlServerDialect().Render("SELECT 1"), Is.EqualTo("SELECT 1"));
        });
    }
}

public sealed class DatabaseOptionsTests
{
    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Test]
    public void Sqlite_is_the_default_with_foreign_keys_on_and_a_file_under_the_content_root()
    {
        var options = DatabaseOptions.From(Configuration(), "/srv/etatmajor");
        Assert.Multiple(() =>
        {
            Assert.That(options.Provider, Is.EqualTo(DatabaseProvider.Sqlite));
            Assert.That(options.SqliteFilePath, Is.EqualTo("/srv/etatmajor/data/etatmajor.db"));
            Assert.That(options.ConnectionString, Does.Contain("Foreign Keys=True"));
        });
    }

    [Test]
    public void Sql_server_requires_a_connection_string_and_unknown_providers_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => DatabaseOptions.From(Configuration(("Database:Provider", "SqlServer")), "/"));
        Assert.Throws<InvalidOperationException>(() => DatabaseOptions.From(Configuration(("Database:Provider", "Oracle")), "/"));
        var options = DatabaseOptions.From(Configuration(("Database:Provider", "sqlserver"), ("ConnectionStrings:EtatMajor", "Server=db;Database=x")), "/");
        Assert.That(options.Provider, Is.EqualTo(DatabaseProvider.SqlServer));
    }
}
