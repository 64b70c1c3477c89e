using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EtatMajor.Testing;

/// <summary>
/// Issue 15: the limits the contract states (docs/openapi.json) must be true of what the API answers, or a generator that
/// trusts them refuses a real answer. Every JSON answer a test's client receives is read against its operation's schema
/// for that status: each text within its length, its pattern and its closed set, each list within its maxItems, each whole number
/// within its range. A limit an answer breaks fails the test that received it, naming the operation and the member.
/// </summary>
public static class ContractLimits
{
    private static readonly Lazy<(JsonElement Schemas, List<(Regex Path, string Template, JsonElement Item)> Paths)> Contract = new(() =>
    {
        var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "docs", "openapi.json"))).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject()
            .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Name), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.CultureInvariant), p.Name, p.Value))
            .ToList();
        return (document.GetProperty("components").GetProperty("schemas"), paths);
    });

    /// <summary>Operations whose answers were read against the contract (a test checks that the check ran).</summary>
    public static ConcurrentDictionary<string, int> Checked { get; } = new(StringComparer.Ordinal);

    /// <summary>What in <paramref name="body"/> breaks the contract's limits for this answer (empty when nothing does).</summary>
    public static IReadOnlyList<string> Breaches(HttpMethod method, string path, int status, string? mediaType, string body)
    {
        if (!IsJson(mediaType) || body.Length == 0)
        {
            return [];
        }
        var (schemas, paths) = Contract.Value;
        var match = paths.Where(p => p.Path.IsMatch(path)).OrderBy(p => p.Template.Count(c => c == '{')).FirstOrDefault();
        if (match.Template is null || !match.Item.TryGetProperty(method.Method.ToLowerInvariant(), out var operation)
            || !operation.GetProperty("responses").TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out var response)
            || !response.TryGetProperty("content", out var content))
        {
            return [];
        }
        var schema = content.EnumerateObject().Select(c => c.Value).FirstOrDefault();
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("schema", out schema))
        {
            return [];
        }
        Checked.AddOrUpdate($"{method.Method} {match.Template}", 1, (_, n) => n + 1);
        var breaches = new List<string>();
        using var answer = JsonDocument.Parse(body);
        Walk(schemas, schema, answer.RootElement, "$", breaches);
        return breaches.Select(b => $"{method.Method} {match.Template} {status}: {b}").ToList();
    }

    /// <summary>One JSON document (an NDJSON export is many, and is checked by the export's own tests).</summary>
    private static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static void Walk(JsonElement schemas, JsonElement schema, JsonElement value, string at, List<string> breaches)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }
        if (schema.TryGetProperty("allOf", out var all))
        {
            // A member that extends a schema of its own (allOf [$ref] with its description): each part holds.
            foreach (var part in all.EnumerateArray())
            {
                Walk(schemas, part, value, at, breaches);
            }
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (schema.TryGetProperty("maxLength", out var maxLength) && text.Length > maxLength.GetInt32())
                {
                    breaches.Add($"{at} has {text.Length} characters, over maxLength {maxLength.GetInt32()}");
                }
                if (schema.TryGetProperty("minLength", out var minLength) && text.Length < minLength.GetInt32())
                {
                    breaches.Add($"{at} has {text.Length} characters, under minLength {minLength.GetInt32()}");
                }
                // The contract's patterns are ECMA's; read here as .NET reads them, with $ at the very end only.
                if (schema.TryGetProperty("pattern", out var pattern)
                    && !Regex.IsMatch(text, pattern.GetString()!.EndsWith('$') ? pattern.GetString()![..^1] + @"\z" : pattern.GetString()!, RegexOptions.CultureInvariant))
                {
                    breaches.Add($"{at} = \"{text}\" does not match its pattern");
                }
                if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == text))
                {
                    breaches.Add($"{at} = \"{text}\" is not in its enum");
                }
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                if (schema.TryGetProperty("maximum", out var maximum) && number > maximum.GetInt64())
                {
                    breaches.Add($"{at} = {number} is over maximum {maximum.GetInt64()}");
                }
                if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetInt64())
                {
                    breaches.Add($"{at} = {number} is under minimum {minimum.GetInt64()}");
                }
                break;
            case JsonValueKind.Array:
                if (schema.TryGetProperty("maxItems", out var maxItems) && value.GetArrayLength() > maxItems.GetInt32())
                {
                    breaches.Add($"{at} has {value.GetArrayLength()} items, over maxItems {maxItems.GetInt32()}");
                }
                if (schema.TryGetProperty("items", out var items))
                {
                    var i = 0;
                    foreach (var element in value.EnumerateArray())
                    {
                        Walk(schemas, items, element, $"{at}[{i++}]", breaches);
                    }
                }
                break;
            case JsonValueKind.Object:
                schema.TryGetProperty("properties", out var properties);
                schema.TryGetProperty("additionalProperties", out var others);
                foreach (var member in value.EnumerateObject())
                {
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var declared))
                    {
                        Walk(schemas, declared, member.Value, $"{at}.{member.Name}", breaches);
                    }
                    else if (others.ValueKind == JsonValueKind.Object)
                    {
                        Walk(schemas, others, member.Value, $"{at}.{member.Name}", breaches);
                    }
                }
                break;
        }
    }

    /// <summary>The handler every test client sends through: an answer that breaks a stated limit fails the test.</summary>
    public sealed class Check : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (IsJson(mediaType) && request.RequestUri is { } uri)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                var breaches = Breaches(request.Method, uri.AbsolutePath, (int)response.StatusCode, mediaType, await response.Content.ReadAsStringAsync(cancellationToken));
                if (breaches.Count > 0)
                {
                    Assert.Fail("The answer breaks the contract's limits (docs/openapi.json):\n" + string.Join("\n", breaches));
                }
            }
            return response;
        }
    }
}
