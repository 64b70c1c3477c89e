namespace EtatMajor.SharedKernel.Law;

/// <summary>
/// Legal dates are calendar dates in Europe/Paris (conventions.md): "today", and the date of an instant.
/// </summary>
public static class LegalCalendar
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Paris).DateTime);

    /// <summary>The date of an instant in Paris.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Paris).DateTime);
}
