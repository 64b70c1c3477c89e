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
