namespace EtatMajor.SharedKernel.Law;

/// <summary>
/// Legal dates are calendar dates in Europe/Paris (conventions.md): "today", the date of an instant, and
/// deadlines the law counts in months.
/// </summary>
public static class LegalCalendar
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>The date of an instant in Paris.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Paris).DateTime);

    /// <summary>The instant a legal date begins in Paris (its midnight, whatever the offset that day).</summary>
    public static DateTimeOffset StartOf(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, Paris.GetUtcOffset(midnight)).ToUniversalTime();
    }

    /// <summary>
    /// A deadline of <paramref name="months"/> calendar months ("dans le mois qui suit", POL-2): the same day
    /// number that many months later, or the last day of that month when it has no such day
    /// (2026-01-31 + 1 month = 2026-02-28; 2028-01-30 + 1 month = 2028-02-29; 2026-03-31 + 1 month = 2026-04-30).
    /// </summary>
    public static DateOnly AddCalendarMonths(DateOnly date, int months) =>
        // DateOnly.AddMonths keeps the day number and, when the month is shorter, takes its last day: the
        // computation the convention asks for, named here so that every deadline uses the same rule.
        date.AddMonths(months);
}
