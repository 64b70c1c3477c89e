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
/// schema cannot learn from their types what is required. Each validator is therefore asked: given the body with every
/// member absent, the fields it reports are `required` (and not `nullable`); given one text member far too long, the
/// limit it states is that member's `maxLength`; the same one level down, for a member that is an object or a list of
/// objects (a person, the attachments). Only what the validator says is always required ("is required", "at
/// least one") is marked required. A body is either the request itself or one of its members (a command
/// built from a route id and a body). What a validator requires only in some cases (one member or another) is not
/// said here; the validator still answers it.
/// </summary>
internal sealed partial class ValidatedSchemaFilter(ValidatedRequests requests, IServiceProvider services) : IDocumentFilter
{
    /// <summary>Longer than any limit a validator states.</summary>
    private const int Overlong = 1_000_000;

    [GeneratedRegex(@"at most (\d+) characters")]
    private static partial Regex Limit();

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return;
        }
        using var scope = services.CreateScope();
        foreach (var request in requests.Types)
        {
            var validators = scope.ServiceProvider.GetServices(typeof(IValidator<>).MakeGenericType(request)).OfType<object>().ToList();
            foreach (var (bodyType, member) in Bodies(request))
            {
                if (!schemas.TryGetValue(SwaggerSetup.SchemaId(bodyType), out var found) || found is not OpenApiSchema schema || schema.Properties is null)
                {
                    continue;
                }
                var absent = Fields(validators, request, bodyType, member, overlong: null);
                foreach (var field in absent.Where(e => e.Value.Any(SaysRequired)).Select(e => e.Key).Where(schema.Properties.ContainsKey))
                {
                    schema.Required ??= new HashSet<string>();
                    schema.Required.Add(field);
                    if (schema.Properties[field] is OpenApiSchema property && property.Type is { } type)
                    {
                        property.Type = type & ~JsonSchemaType.Null;
                    }
                }
                Nested(validators, request, bodyType, member, schemas);
                foreach (var text in bodyType.GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite))
                {
                    var name = JsonNamingPolicy.CamelCase.ConvertName(text.Name);
                    if (schema.Properties.TryGetValue(name, out var p) && p is OpenApiSchema property
                        && Fields(validators, request, bodyType, member, text).GetValueOrDefault(name) is { } messages
                        && messages.Select(m => Limit().Match(m)).FirstOrDefault(m => m.Success) is { } limit)
                    {
                        property.MaxLength = int.Parse(limit.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
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

    /// <summary>The request itself when it is bound as the body, and each of its members whose type has a schema of its own.</summary>
    private static IEnumerable<(Type Body, PropertyInfo? Member)> Bodies(Type request)
    {
        yield return (request, null);
        foreach (var property in request.GetProperties().Where(p => p.PropertyType.IsClass && p.PropertyType != typeof(string) && p.CanWrite
                                                                    && !p.PropertyType.IsArray && !p.PropertyType.IsGenericType))
        {
            yield return (property.PropertyType, property);
        }
    }

    /// <summary>What the validators report for the body with every member absent (but one text member, overlong, when given).</summary>
    private static IReadOnlyDictionary<string, string[]> Fields(List<object> validators, Type request, Type bodyType, PropertyInfo? member, PropertyInfo? overlong) =>
        Report(validators, () =>
        {
            var body = RuntimeHelpers.GetUninitializedObject(bodyType);
            overlong?.SetValue(body, new string('a', Overlong));
            var instance = member is null ? body : RuntimeHelpers.GetUninitializedObject(request);
            member?.SetValue(instance, body);
            return instance;
        });

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

    /// <summary>
    /// One level down: a member of the body that is an object (`person`, `zsp`) or a list of objects (`attachments`,
    /// `guests`), present with all its own members absent (a list: one such element), then with one text member
    /// overlong. The validators name the fields `person.lastName`, `guests[0].name`; what they say fills that object's schema.
    /// </summary>
    private static void Nested(List<object> validators, Type request, Type bodyType, PropertyInfo? member, IDictionary<string, IOpenApiSchema> schemas)
    {
        foreach (var inner in bodyType.GetProperties().Where(p => p.CanWrite))
        {
            var list = inner.PropertyType.IsArray ? inner.PropertyType.GetElementType()
                : inner.PropertyType.IsGenericType && inner.PropertyType.GetGenericArguments() is [var element] && inner.PropertyType.IsAssignableFrom(element.MakeArrayType()) ? element
                : null;
            var objectType = list ?? inner.PropertyType;
            if (!objectType.IsClass || objectType == typeof(string) || objectType.IsGenericType
                || !schemas.TryGetValue(SwaggerSetup.SchemaId(objectType), out var found) || found is not OpenApiSchema schema || schema.Properties is null)
            {
                continue;
            }
            var prefix = JsonNamingPolicy.CamelCase.ConvertName(inner.Name) + (list is null ? "." : "[0].");
            IReadOnlyDictionary<string, string[]> Probe(PropertyInfo? overlong) => Report(validators, () =>
            {
                var value = RuntimeHelpers.GetUninitializedObject(objectType);
                overlong?.SetValue(value, new string('a', Overlong));
                object nested = value;
                if (list is not null)
                {
                    var array = Array.CreateInstance(list, 1);
                    array.SetValue(value, 0);
                    nested = array;
                }
                var body = RuntimeHelpers.GetUninitializedObject(bodyType);
                inner.SetValue(body, nested);
                var instance = member is null ? body : RuntimeHelpers.GetUninitializedObject(request);
                member?.SetValue(instance, body);
                return instance;
            });
            foreach (var (field, messages) in Probe(null))
            {
                if (field.StartsWith(prefix, StringComparison.Ordinal) && field[prefix.Length..] is var name && schema.Properties.ContainsKey(name) && messages.Any(SaysRequired))
                {
                    schema.Required ??= new HashSet<string>();
                    schema.Required.Add(name);
                    if (schema.Properties[name] is OpenApiSchema property && property.Type is { } type)
                    {
                        property.Type = type & ~JsonSchemaType.Null;
                    }
                }
            }
            foreach (var text in objectType.GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(text.Name);
                if (schema.Properties.TryGetValue(name, out var candidate) && candidate is OpenApiSchema property && property.MaxLength is null
                    && Probe(text).GetValueOrDefault(prefix + name) is { } messages
                    && messages.Select(m => Limit().Match(m)).FirstOrDefault(m => m.Success) is { } limit)
                {
                    property.MaxLength = int.Parse(limit.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
    }
}
