namespace EtatMajor.SharedKernel.Law;

/// <summary>
/// Legal dates are calendar dates in Europe/Paris (conventions.md): "today", months, semesters, and
/// deadlines counted in months ("dans le mois qui suit").
/// </summary>
public static class LegalCalendar
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Paris).DateTime);

    /// <summary>The date of an instant in Paris.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Paris).DateTime);

    /// <summary>The same day number one month later, or that month's last day when the day does not exist (31 Jan → 28/29 Feb).</summary>
    public static DateOnly OneMonthAfter(DateOnly date) => date.AddMonths(1);

    public static DateOnly FirstOfMonth(int year, int month) => new(year, month, 1);
}
