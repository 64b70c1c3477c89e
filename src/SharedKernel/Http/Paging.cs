using System.Buffers.Text;
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

    public static PageRequest From(int? limit, string? cursor, ValidationErrors errors)
    {
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}");
        }
        string? after = null;
        if (cursor is not null && !TryDecode(cursor, out after))
        {
            errors.Add("cursor", "is not a cursor returned by this API");
        }
        return new PageRequest(limit ?? DefaultLimit, after);
    }

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
        if (cursor.Length is 0 or > 400)
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
/// The key of a list ordered by an instant then an id (`2026-03-14T09:26:53.589Z|<guid>`): chronological on
/// both providers, where SQL Server's order of GUIDs alone is not.
/// </summary>
public static class InstantKey
{
    public static string Of(DateTimeOffset at, Guid id) => $"{Data.TypeHandlers.SqliteInstant(at)}|{id}";

    public static bool TryParse(string? key, out DateTimeOffset? at, out Guid? id)
    {
        at = null;
        id = null;
        if (key is null)
        {
            return true;
        }
        var parts = key.Split('|');
        if (parts.Length != 2
            || !DateTimeOffset.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var instant)
            || !Guid.TryParse(parts[1], out var guid))
        {
            return false;
        }
        at = instant;
        id = guid;
        return true;
    }
}
