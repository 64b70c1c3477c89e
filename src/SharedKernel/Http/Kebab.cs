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

/// <summary>
/// Enum values in JSON exactly as the API spells them: "prefet", never "PREFET" or "Prefet", which are refused like any
/// unknown value (System.Text.Json's own enum converter reads names whatever their case).
/// </summary>
public sealed class KebabEnumConverter : System.Text.Json.Serialization.JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override System.Text.Json.Serialization.JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (System.Text.Json.Serialization.JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert))!;

    private sealed class Exact<TEnum> : System.Text.Json.Serialization.JsonConverter<TEnum> where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && Kebab.TryParse<TEnum>(reader.GetString(), out var value)
                ? value
                : throw new JsonException($"must be one of: {string.Join(", ", Enum.GetValues<TEnum>().Select(v => v.ToKebab()))}");

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToKebab());
    }
}
