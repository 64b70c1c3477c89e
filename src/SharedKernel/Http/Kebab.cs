using System.Collections.Concurrent;
using System.Text.Json;

namespace EtatMajor.SharedKernel.Http;

/// <summary>Enum values as the API and the database spell them: lower-case kebab-case strings.</summary>
public static class Kebab
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string ToKebab<TEnum>(this TEnum value) where TEnum : struct, Enum =>
        Names.GetOrAdd(value, v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

    public static TEnum Parse<TEnum>(string value) where TEnum : struct, Enum =>
        TryParse<TEnum>(value, out var result)
            ? result
            : throw new FormatException($"'{value}' is not a {typeof(TEnum).Name}.");

    public static bool TryParse<TEnum>(string? value, out TEnum result) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToKebab(), value, StringComparison.Ordinal))
            {
                result = candidate;
                return true;
            }
        }
        result = default;
        return false;
    }
}
