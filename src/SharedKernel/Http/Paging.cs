using System.Buffers.Text;
using System.Globalization;
using EtatMajor.SharedKernel.Data;
using System.Text;
using EtatMajor.SharedKernel.Validation;

namespace EtatMajor.SharedKernel.Http;

/// <summary>A page of a list: cursor pagination, never OFFSET.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>`?limit=` (default 50, max 500) and the opaque `?cursor=` of the previous page.</summary>
public sealed record PageRequest(int Limit, string? After)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The longest cursor this API writes and reads back.</summary>
    public const int MaxCursorLength = 400;

    /// <summary>
    /// Reads and checks the paging of a list: the limit's range, and that the cursor is one this API returned
    /// for this list (its key must satisfy <paramref name="keyIsValid"/>, such as <see cref="Keyset.IsInstant"/>).
    /// </summary>
    public static PageRequest From(int? limit, string? cursor, ValidationErrors errors, Func<string, bool>? keyIsValid = null)
    {
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}");
        }
        string? after = null;
        if (cursor is not null && (!TryDecode(cursor, out after) || (keyIsValid is not null && !keyIsValid(after!))))
        {
            errors.Add("cursor", "is not a cursor returned by this API for this list");
        }
        return new PageRequest(limit ?? DefaultLimit, after);
    }

    /// <summary>The paging of a request its validator already checked.</summary>
    public static PageRequest Of(int? limit, string? cursor) => From(limit, cursor, new ValidationErrors());

    /// <summary>Asks one more row than the limit, to know whether a next page exists.</summary>
    public int Take => Limit + 1;

    public Page<T> ToPage<T>(IReadOnlyList<T> rows, Func<T, string> key)
    {
        if (rows.Count <= Limit)
        {
            return new Page<T>(rows, null);
        }
        var items = rows.Take(Limit).ToList();
        return new Page<T>(items, Encode(key(items[^1])));
    }

    private static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    private static bool TryDecode(string cursor, out string? key)
    {
        key = null;
        if (cursor.Length is 0 or > PageRequest.MaxCursorLength)
        {
            return false;
        }
        try
        {
            key = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return key.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>
/// The key of a list ordered by a value then an id (`2026-03-14T09:26:53.589Z|<guid>`, `2026-03-14|<guid>`): the
/// last row of a page, from which the next page starts (keyset pagination). The value is written as both
/// providers store and sort it; the id breaks ties, where SQL Server's order of GUIDs alone is not chronological.
/// </summary>
public static class Keyset
{
    public static string Of(DateTimeOffset at, Guid id) => $"{TypeHandlers.SqliteInstant(at)}|{id}";

    public static string Of(DateTimeOffset at, string id) => $"{TypeHandlers.SqliteInstant(at)}|{id}";

    public static string Of(DateOnly day, Guid id) => $"{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{id}";

    public static bool IsInstant(string key) => Instant(key).At is not null;

    public static bool IsInstantText(string key) => InstantText(key).At is not null;

    public static bool IsDate(string key) => Date(key).Day is not null;

    public static bool IsNumber(string key) => long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>The instant and the id of a key (both null for no key, or a key of another shape).</summary>
    public static (DateTimeOffset? At, Guid? Id) Instant(string? key) =>
        Split(key) is var (value, id) && ParseInstant(value) is { } at && Guid.TryParse(id, out var guid) ? (at, guid) : (null, null);

    public static (DateTimeOffset? At, string? Id) InstantText(string? key) =>
        Split(key) is var (value, id) && ParseInstant(value) is { } at && id.Length > 0 ? (at, id) : (null, null);

    public static (DateOnly? Day, Guid? Id) Date(string? key) =>
        Split(key) is var (value, id) && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
        && Guid.TryParse(id, out var guid) ? (day, guid) : (null, null);

    public static long Number(string? key) => key is not null && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static (string Value, string Id) Split(string? key) =>
        key?.Split('|') is [var value, var id] ? (value, id) : ("", "");

    private static DateTimeOffset? ParseInstant(string value) =>
        value.Length > 0 && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
}
