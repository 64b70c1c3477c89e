using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using EtatMajor.SharedKernel.Validation;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EtatMajor.Api.OpenApi;

/// <summary>The requests that have a validator (IValidator&lt;T&gt;), as the modules registered them.</summary>
internal sealed record ValidatedRequests(IReadOnlyList<Type> Types);

/// <summary>
/// Issue 15: the contract's constraints come from the validators themselves, the one source. The members of a request
/// body stay nullable in C# (an absent member gets the validator's 400 naming it, not a deserialiser's error), so the
/// schema cannot learn from their types what is required. Each validator is therefore asked:
/// - given the body with every member absent, the fields it reports are `required` (and not `nullable`); only what it
///   says is always required ("is required", "at least one") is marked;
/// - given one text member far too long, the limit it states ("at most N characters") is that member's `maxLength`
///   (the texts of a list of texts: `themes[0]`);
/// - given one list far too long, the count it states ("at most N", "between 1 and N", "from 1 to N") is its `maxItems`;
/// - given one whole number far too large, the range it states ("2000 to 2100") is its `minimum` and `maximum`;
/// - the same one level down, for a member that is an object or a list of objects (a person, the attachments): the
///   validators name the fields `person.lastName`, `guests[0].name`.
/// A body is the request itself, one of its members (a command built from a route id and a body), or, for a command
/// that takes the body's members as its own (RecordMeeting and RecordMeetingBody), the schema named after it. What a
/// validator requires only in some cases (one member or another) is not said here; the validator still answers it.
/// </summary>
internal sealed partial class ValidatedSchemaFilter(ValidatedRequests requests, IServiceProvider services) : IDocumentFilter
{
    /// <summary>Longer than any limit a validator states.</summary>
    private const int Overlong = 1_000_000;

    /// <summary>One overlong text for every probe (the document is made on each request for it: nothing is allocated per probe).</summary>
    private static readonly string Long = new('a', Overlong);

    /// <summary>More elements than any list a validator allows (500 at most today).</summary>
    private const int ManyItems = 10_000;

    /// <summary>Larger than any number a validator allows.</summary>
    private const int Huge = 1_000_000_000;

    [GeneratedRegex(@"at most (\d+) characters")]
    private static partial Regex Limit();

    [GeneratedRegex(@"(?:at most|between \d+ and|from \d+ to|^\d+ to|\(\d+ to) (\d+)\b(?! characters)")]
    private static partial Regex Count();

    [GeneratedRegex(@"(\d+) (?:to|and) (\d+)")]
    private static partial Regex Range();

    /// <summary>A closed set in the validator's words: "one of: a b c", "one of the catalogue (GET …): a b c".</summary>
    [GeneratedRegex(@"^one of(?: [^:]*)?: ([^ ]+(?: [^ ]+)*)$|^((?:[a-z0-9-]+, )*[a-z0-9-]+ or [a-z0-9-]+)(?: \(.*\))?$")]
    private static partial Regex OneOf();

    [GeneratedRegex(@"must be at least (\d+)")]
    private static partial Regex AtLeast();

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return;
        }
        using var scope = services.CreateScope();
        var bodies = document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(operation => operation.RequestBody?.Content?.Values.AsEnumerable() ?? [])
            .Select(content => (content.Schema as OpenApiSchemaReference)?.Reference.Id).OfType<string>().ToHashSet();
        foreach (var request in requests.Types)
        {
            var validators = scope.ServiceProvider.GetServices(typeof(IValidator<>).MakeGenericType(request)).OfType<object>().ToList();
            foreach (var (schemaName, probeType, wrap) in Bodies(request, schemas, bodies))
            {
                if (schemas.TryGetValue(schemaName, out var found) && found is OpenApiSchema schema && schema.Properties is not null)
                {
                    Level(validators, schemas, schema, probeType, wrap, "", nested: true);
                }
            }
        }
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            Query(operation, scope.ServiceProvider);
        }
    }

    /// <summary>
    /// A query string's parameters, as the validator of the query they bind to reads them: the query whose members (one
    /// level down too: an auditor's filters) are exactly those parameters, besides route ids and the paging pair.
    /// </summary>
    private void Query(OpenApiOperation operation, IServiceProvider provider)
    {
        var parameters = (operation.Parameters ?? []).OfType<OpenApiParameter>()
            .Where(p => p.In == ParameterLocation.Query && p.Name is not ("limit" or "cursor") && p.Schema is OpenApiSchema).ToList();
        if (parameters.Count == 0)
        {
            return;
        }
        var names = parameters.Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var request in requests.Types)
        {
            var members = new Dictionary<string, (PropertyInfo? Outer, PropertyInfo Member)>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in request.GetProperties().Where(p => p.CanWrite))
            {
                if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && !property.PropertyType.IsArray)
                {
                    foreach (var inner in property.PropertyType.GetProperties().Where(p => p.CanWrite))
                    {
                        members[inner.Name] = (property, inner);
                    }
                }
                else if (property.PropertyType != typeof(Guid) && property.Name is not ("Limit" or "Cursor"))
                {
                    members[property.Name] = (null, property);
                }
            }
            if (!members.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(names))
            {
                continue;
            }
            var validators = provider.GetServices(typeof(IValidator<>).MakeGenericType(request)).OfType<object>().ToList();
            foreach (var parameter in parameters)
            {
                var (outer, member) = members[parameter.Name!];
                string[] Said(object value) => Report(validators, () =>
                {
                    var instance = RuntimeHelpers.GetUninitializedObject(request);
                    if (outer is null)
                    {
                        member.SetValue(instance, value);
                    }
                    else
                    {
                        var holder = RuntimeHelpers.GetUninitializedObject(outer.PropertyType);
                        member.SetValue(holder, value);
                        outer.SetValue(instance, holder);
                    }
                    return instance;
                }).GetValueOrDefault(parameter.Name!) ?? [];
                Constrain((OpenApiSchema)parameter.Schema!, Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType, Said);
            }
        }
    }

    /// <summary>What one text or number says of itself when far too long, far too large, or outside a closed set.</summary>
    private static void Constrain(OpenApiSchema property, Type type, Func<object, string[]> said)
    {
        if (type == typeof(string))
        {
            if (property.MaxLength is null && said(Long).Select(m => Limit().Match(m)).FirstOrDefault(m => m.Success) is { } limit)
            {
                property.MaxLength = Number(limit.Groups[1]);
            }
            if (property.Enum is not { Count: > 0 } && said("\u0001").Select(m => OneOf().Match(m)).FirstOrDefault(m => m.Success) is { } set)
            {
                var values = set.Groups[1].Success ? set.Groups[1].Value.Split(' ') : set.Groups[2].Value.Replace(" or ", ", ", StringComparison.Ordinal).Split(", ");
                property.Enum = [.. values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)!)];
            }
        }
        else if ((type == typeof(int) || type == typeof(long)) && property.Maximum is null)
        {
            if (said(type == typeof(int) ? (object)Huge : (long)Huge).Select(m => Range().Match(m)).FirstOrDefault(m => m.Success) is { } range)
            {
                (property.Minimum, property.Maximum) = (range.Groups[1].Value, range.Groups[2].Value);
            }
            else if (said(type == typeof(int) ? (object)0 : 0L).Select(m => AtLeast().Match(m)).FirstOrDefault(m => m.Success) is { } least)
            {
                property.Minimum = least.Groups[1].Value;
            }
        }
    }

    /// <summary>
    /// The validator's own words for a member that must always be there ("is required", "at least one"); a requirement that
    /// depends on another member says so ("is required for a maire") or gives a hint, and is not marked.
    /// </summary>
    private static bool SaysRequired(string message) =>
        (message.StartsWith("is required", StringComparison.Ordinal) && !message.StartsWith("is required for", StringComparison.Ordinal))
        || message.StartsWith("at least one", StringComparison.Ordinal);

    /// <summary>
    /// Where a request's body schema is, and how an object of that schema becomes the request the validator reads: the
    /// request itself; each of its members whose type has a schema of its own; a request body whose members are all the
    /// command's own, the command adding only ids (a route's: RejectExchange and RejectBody, RecordMeeting and RecordMeetingBody).
    /// </summary>
    private static IEnumerable<(string Schema, Type Probe, Func<object, object> Wrap)> Bodies(Type request, IDictionary<string, IOpenApiSchema> schemas,
        HashSet<string> bodies)
    {
        yield return (SwaggerSetup.SchemaId(request), request, body => body);
        var own = request.GetProperties().Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var name in bodies.Where(name => name != SwaggerSetup.SchemaId(request)))
        {
            if (schemas[name] is OpenApiSchema { Properties: { Count: > 0 } members }
                && members.Keys.All(own.ContainsKey)
                && own.Where(p => !members.ContainsKey(char.ToLowerInvariant(p.Key[0]) + p.Key[1..]))
                    .All(p => p.Value.PropertyType == typeof(Guid) || p.Key == "IfMatch"))
            {
                yield return (name, request, body => body);
            }
        }
        foreach (var property in request.GetProperties().Where(p => p.PropertyType.IsClass && p.PropertyType != typeof(string) && p.CanWrite
                                                                    && !p.PropertyType.IsArray && !p.PropertyType.IsGenericType))
        {
            yield return (SwaggerSetup.SchemaId(property.PropertyType), property.PropertyType, body =>
            {
                var instance = RuntimeHelpers.GetUninitializedObject(request);
                property.SetValue(instance, body);
                return instance;
            });
        }
    }

    /// <summary>
    /// What the validators say of one object's members (the body, or one level down with <paramref name="prefix"/>
    /// `person.` or `guests[0].`), each probed alone on an object whose other members are absent.
    /// </summary>
    private static void Level(List<object> validators, IDictionary<string, IOpenApiSchema> schemas, OpenApiSchema schema, Type probeType,
        Func<object, object> wrap, string prefix, bool nested)
    {
        // For a limit, the object's switches are on (a favourable opinion's reference is read only then); never for
        // what is required, which would then be required only in that case.
        var switches = probeType.GetProperties().Where(p => p.CanWrite && (p.PropertyType == typeof(bool) || p.PropertyType == typeof(bool?))).ToList();
        IReadOnlyDictionary<string, string[]> Probe(PropertyInfo? member, object? value) => Report(validators, () =>
        {
            var instance = RuntimeHelpers.GetUninitializedObject(probeType);
            if (member is not null)
            {
                switches.ForEach(s => s.SetValue(instance, true));
            }
            member?.SetValue(instance, value);
            return wrap(instance);
        });
        foreach (var (field, messages) in Probe(null, null))
        {
            if (field.StartsWith(prefix, StringComparison.Ordinal) && field[prefix.Length..] is var name && schema.Properties!.ContainsKey(name) && messages.Any(SaysRequired))
            {
                schema.Required ??= new HashSet<string>();
                schema.Required.Add(name);
                if (schema.Properties[name] is OpenApiSchema property && property.Type is { } type)
                {
                    property.Type = type & ~JsonSchemaType.Null;
                }
            }
        }
        foreach (var (name, candidate) in schema.Properties!)
        {
            var member = probeType.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (member is not { CanWrite: true })
            {
                continue;
            }
            // A member whose type has a schema of its own is a reference: its constraints are that schema's, one level down.
            var property = candidate as OpenApiSchema ?? new OpenApiSchema();
            var type = Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType;
            var element = ElementOf(member.PropertyType);
            string[] Said(object? value, string suffix = "") => Probe(member, value).GetValueOrDefault(prefix + name + suffix) ?? [];
            if (type == typeof(string) || type == typeof(int) || type == typeof(long))
            {
                Constrain(property, type, value => Said(value));
            }
            else if (element is not null)
            {
                if (property.MaxItems is null && Said(ListOf(member.PropertyType, element, ManyItems, null)).Select(m => Count().Match(m)).FirstOrDefault(m => m.Success) is { } count)
                {
                    property.MaxItems = Number(count.Groups[1]);
                }
                if (element == typeof(string) && property.Items is OpenApiSchema item && item.MaxLength is null
                    && Said(ListOf(member.PropertyType, element, 1, Long), "[0]").Select(m => Limit().Match(m)).FirstOrDefault(m => m.Success) is { } itemLimit)
                {
                    item.MaxLength = Number(itemLimit.Groups[1]);
                }
            }
            var objectType = element ?? type;
            if (nested && objectType.IsClass && objectType != typeof(string) && !objectType.IsGenericType
                && schemas.TryGetValue(SwaggerSetup.SchemaId(objectType), out var inner) && inner is OpenApiSchema innerSchema && innerSchema.Properties is not null)
            {
                var innerPrefix = prefix + name + (element is null ? "." : "[0].");
                // The object as the validator reads it: alone, or, when it reads it only for one kind of body (a ZSP, for a
                // CCOFSI), with the body's closed set at that kind.
                Func<object, object> Within(PropertyInfo? kind, object? value) => inner =>
                {
                    var instance = RuntimeHelpers.GetUninitializedObject(probeType);
                    kind?.SetValue(instance, value);
                    member.SetValue(instance, element is null ? inner : ListOf(member.PropertyType, element, 1, inner));
                    return wrap(instance);
                };
                var kinds = probeType.GetProperties().Where(p => p.CanWrite && (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType).IsEnum)
                    .SelectMany(p => Enum.GetValues(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType).Cast<object>().Select(v => (Kind: (PropertyInfo?)p, Value: (object?)v)));
                var within = kinds.Prepend((Kind: null, Value: null))
                    .Select(k => Within(k.Kind, k.Value))
                    .FirstOrDefault(w => Report(validators, () => w(RuntimeHelpers.GetUninitializedObject(objectType))).Keys.Any(f => f.StartsWith(innerPrefix, StringComparison.Ordinal)))
                    ?? Within(null, null);
                Level(validators, schemas, innerSchema, objectType, within, innerPrefix, nested: false);
            }
        }
    }

    private static int Number(Group group) => int.Parse(group.Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The element type of an array or a list member; null for anything else (a string is not a list here).</summary>
    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var element] && type.IsAssignableFrom(element.MakeArrayType()) ? element
        : null;

    /// <summary>A list of <paramref name="count"/> elements, each <paramref name="value"/> (or the type's default).</summary>
    private static Array ListOf(Type listType, Type element, int count, object? value)
    {
        var array = Array.CreateInstance(element, count);
        if (value is not null || element.IsValueType)
        {
            var filler = value ?? Activator.CreateInstance(element);
            for (var i = 0; i < count; i++)
            {
                array.SetValue(filler, i);
            }
        }
        return array;
    }

    /// <summary>The validators' report on the request <paramref name="make"/> builds (nothing when a validator cannot look at it).</summary>
    private static IReadOnlyDictionary<string, string[]> Report(List<object> validators, Func<object> make)
    {
        var errors = new ValidationErrors();
        try
        {
            var instance = make();
            foreach (var validator in validators)
            {
                validator.GetType().GetMethod(nameof(IValidator<object>.Validate))!.Invoke(validator, [instance, errors]);
            }
        }
        catch (Exception e) when (e is TargetInvocationException or ArgumentException or InvalidCastException)
        {
            // A validator that cannot look at such a body (it reads a member it expects): nothing is learnt from it.
        }
        return errors.ToDictionary();
    }
}
