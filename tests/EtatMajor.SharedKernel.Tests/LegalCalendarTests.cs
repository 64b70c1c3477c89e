using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Law;
using Microsoft.Extensions.Time.Testing;

namespace EtatMajor.SharedKernel.Tests;

/// <summary>conventions.md: deadlines in months are counted on calendar dates in Europe/Paris.</summary>
public sealed class LegalCalendarTests
{
    [TestCase("2026-01-31", "2026-02-28")]
    [TestCase("2028-01-31", "2028-02-29")]
    [TestCase("2028-01-30", "2028-02-29")]
    [TestCase("2028-02-29", "2028-03-29")]
    [TestCase("2026-03-31", "2026-04-30")]
    [TestCase("2026-12-31", "2027-01-31")]
    [TestCase("2026-01-15", "2026-02-15")]
    public void POL_2_one_calendar_month_is_the_same_day_or_the_last_day_of_a_shorter_month(string from, string expected) =>
        Assert.That(LegalCalendar.AddCalendarMonths(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), 1),
            Is.EqualTo(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public void Today_is_the_date_in_Paris_not_in_UTC()
    {
        // 23:30 UTC on 31 December is already 1 January in Paris (UTC+1 in winter).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero));
        Assert.That(LegalCalendar.Today(clock), Is.EqualTo(new DateOnly(2027, 1, 1)));
        // 21:59 UTC on 30 June is 23:59 in Paris (UTC+2 in summer): still 30 June.
        Assert.That(LegalCalendar.DateOf(new DateTimeOffset(2026, 6, 30, 21, 59, 0, TimeSpan.Zero)), Is.EqualTo(new DateOnly(2026, 6, 30)));
    }
}

public sealed class SqlDialectTests
{
    private const string Statement = "SELECT seq FROM aud_head /*+ UPDLOCK, HOLDLOCK */ WHERE id = 1 ORDER BY seq LIMIT @Take";

    [Test]
    public void A_table_hint_written_as_a_comment_becomes_WITH_on_SQL_Server_and_stays_a_comment_on_SQLite()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new SqlServerDialect().Render(Statement),
                Is.EqualTo("SELECT seq FROM aud_head WITH (UPDLOCK, HOLDLOCK) WHERE id = 1 ORDER BY seq OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY"));
            Assert.That(new SqliteDialect().Render(Statement), Is.EqualTo(Statement));
        });
    }
}
