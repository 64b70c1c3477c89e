using System.Globalization;
using EtatMajor.Api.Http;
using EtatMajor.SharedKernel.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EtatMajor.Api.OpenApi;

/// <summary>
/// Issue 15: a limit on every text, list and number of the contract (the OWASP API rules ask it of every schema), each
/// from what the API enforces, after the validators have said theirs (<see cref="ValidatedSchemaFilter"/>):
/// - what the territory's patterns fix (a département, an INSEE code), and what a validator shares with another body;
/// - a parameter's text is part of the request target, which the perimeter refuses above 8 KiB (414);
/// - an attachment's base64 content cannot be longer than the largest request body the API reads;
/// - an answer's member carries what a request of the same member name was allowed to store (a subject, a name), unless
///   the answer's own entry below says what it is built from; a page holds at most 500 items and a cursor of 400
///   characters; no other list of an answer has a maxItems (other operations add to it);
/// - what the API writes itself is bounded by how it writes it: the table <see cref="Written"/>, each with its reason;
/// - a whole number without a stated range: its format's, never negative for a count, a size, a sequence or a position.
/// A test reads every answer of the test suite against these limits (ContractLimitsTests): a limit an answer breaks fails it.
/// </summary>
internal static class Limits
{
    /// <summary>Lists and texts two bodies share through one validator: the limit of the first is the second's.</summary>
    private static readonly (string From, string To)[] Shared =
    [
        // ForwardExchangeValidator checks a forward's recipients with the send's Recipients.Validate.
        ("ExchangeBody.recipientOrganisationIds", "ForwardBody.recipientOrganisationIds"),
        // A meeting's minutes are the text UpdateMinutes took; a rejection's reason, the one RejectExchange took.
        ("MinutesBody.text", "MeetingDto.minutes"),
        ("RejectBody.reason", "ReviewDto.rejectionReason"),
    ];

    /// <summary>
    /// What the API writes itself, by schema and member (or `*` for every schema): the length it writes, with why.
    /// </summary>
    private static readonly Dictionary<(string Schema, string Member), int> Written = new()
    {
        // SHA-256 in hex.
        [("*", "sha256")] = 64, [("*", "hash")] = 64, [("*", "prevHash")] = 64, [("*", "headHash")] = 64, [("*", "previousSignature")] = 200,
        // ES256 signatures in base64 (88 characters) and key ids (a hash's prefix), with room.
        [("*", "signature")] = 200, [("*", "keyId")] = 100, [("KeyDto", "algorithm")] = 20, [("KeyDto", "publicKeyPem")] = 1000,
        // Rule ids (CONF-1, DES-3) and legal bases (article references), written from the code's catalogue.
        [("*", "ruleId")] = 20, [("*", "legalBasis")] = 200,
        // Problem and violation texts are the code's own sentences, naming at most a field or a file name.
        [("*", "message")] = SharedKernel.Disclosures.Violation.MaxMessage, [("Problem", "type")] = 200, [("Problem", "title")] = 200, [("Problem", "detail")] = 4000,
        [("Problem", "instance")] = HeaderRules.RequestTargetBytes, [("*", "traceId")] = 55, [("*", "description")] = 4000, [("*", "label")] = 200,
        [("*", "problemType")] = 200, [("*", "marker")] = 100, [("*", "form")] = 20, [("*", "location")] = SharedKernel.Disclosures.MarkerFound.MaxLocation,
        [("*", "excerpt")] = SharedKernel.Disclosures.MarkerFound.MaxExcerpt,
        [("*", "id")] = 100, [("*", "code")] = 64, [("*", "name")] = 200, [("*", "clientId")] = 200, [("*", "clientSecret")] = 200,
        [("*", "displayName")] = 200, [("*", "reference")] = 200, [("*", "cnilDeliberation")] = 200, [("*", "missingSettings")] = 200,
        [("*", "status")] = 40, [("*", "reason")] = 1000, [("*", "direction")] = 20, [("*", "modality")] = 40, [("*", "version")] = 40,
        [("*", "catalogueVersion")] = 40, [("*", "measureLabel")] = 200, [("*", "opinion")] = 40, [("*", "outcome")] = 40, [("*", "eTag")] = 100,
        [("*", "month")] = 7, [("*", "monthsBelowTarget")] = 7, [("*", "forbiddenDocumentKinds")] = 64, [("*", "year")] = 4,
        // The access log's record: what the API stored, each from a bounded source (a client id, a route template, an action name…).
        [("AuditEventDto", "occurredAt")] = 40, [("AuditEventDto", "organisationId")] = 36, [("AuditEventDto", "organisationKind")] = 40,
        [("AuditEventDto", "onBehalfOf")] = 200, [("AuditEventDto", "action")] = 100, [("AuditEventDto", "operation")] = 40,
        [("AuditEventDto", "resourceType")] = 100, [("AuditEventDto", "resourceId")] = 200, [("AuditEventDto", "relatedResourceId")] = 200,
        [("AuditEventDto", "justification")] = 500, [("*", "measure")] = 64,
        // Space-separated organisation ids of one disclosure (at most 50 recipients, 37 characters each).
        [("AuditEventDto", "recipients")] = 4000,
        // A checkpoint's instant, as written (RFC 3339, UTC); an attachment named in a violation: its position and file name.
        [("Checkpoint", "createdAt")] = 40, [("Violation", "attachments")] = SharedKernel.Disclosures.Violation.MaxAttachment,
        // The authorising act's settings are checked at start-up (AuthorisingAct); the policy's rules are the code's own sentences.
        [("AuthorisingActDto", "reference")] = 200, [("AuthorisingActDto", "cnilDeliberation")] = 200, [("PolicyRuleDto", "description")] = 1000,
        // A problem's messages for one field: the validators' sentences.
        [("Problem", "errors")] = 2000, [("AuditEventDto", "route")] = HeaderRules.RequestTargetBytes,
    };

    public static void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return;
        }
        Named(document, schemas);
        foreach (var (from, to) in Shared)
        {
            if (Member(schemas, from) is { } source && Member(schemas, to) is { } target)
            {
                (target.MaxItems, target.MaxLength) = (source.MaxItems, source.MaxLength);
            }
        }
        if (Member(schemas, "CreateClient.scopes") is { } scopes)
        {
            // CreateClientValidator refuses more scopes than there are.
            scopes.MaxItems = SharedKernel.Identity.Scopes.All.Count;
        }
        if (Member(schemas, "ZspInput.forces") is { } forces)
        {
            // COMP-2: police-nationale, gendarmerie-nationale and douanes, each once (CreateInstanceValidator).
            forces.MaxItems = 3;
        }
        if (Member(schemas, "AttachmentInput.contentBase64") is { } content)
        {
            // Longer than the largest body the API reads, it cannot arrive.
            content.MaxLength = (int)Math.Min(int.MaxValue, context.ApiDescriptions
                .SelectMany(d => d.ActionDescriptor.EndpointMetadata.OfType<RequestBodyLimit>()).Select(l => l.Bytes).DefaultIfEmpty(30_000_000).Max());
        }
        Parameters(document);
        Answers(document, schemas);
    }

    private static OpenApiSchema? Member(IDictionary<string, IOpenApiSchema> schemas, string path) =>
        path.Split('.') is [var schema, var member] && schemas.TryGetValue(schema, out var found) && found is OpenApiSchema { Properties: { } properties }
            && properties.TryGetValue(member, out var property) ? property as OpenApiSchema : null;

    /// <summary>The territory's codes, wherever a member or a parameter carries one.</summary>
    private static void Named(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        static void Code(string name, OpenApiSchema schema)
        {
            var target = name == "communes" ? schema.Items as OpenApiSchema : schema;
            if (target is null || target.Type is not { } type || !type.HasFlag(JsonSchemaType.String))
            {
                return;
            }
            switch (name)
            {
                case "departement":
                    (target.MinLength, target.MaxLength, target.Pattern) = (2, 3, SharedKernel.Identity.Territory.DepartementRegex);
                    break;
                case "communeInsee" or "communes":
                    (target.MinLength, target.MaxLength, target.Pattern) = (5, 5, SharedKernel.Identity.Territory.CommuneRegex);
                    break;
            }
        }
        foreach (var schema in schemas.Values.OfType<OpenApiSchema>())
        {
            foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (property is OpenApiSchema member)
                {
                    Code(name, member);
                }
            }
        }
        foreach (var parameter in Operations(document).SelectMany(o => o.Parameters?.OfType<OpenApiParameter>() ?? []))
        {
            if (parameter.Schema is OpenApiSchema schema)
            {
                Code(parameter.Name!, schema);
            }
        }
    }

    private static IEnumerable<OpenApiOperation> Operations(OpenApiDocument document) =>
        document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []);

    /// <summary>A parameter is part of the request target (8 KiB at most, HeaderRules); a whole number, its format's range.</summary>
    private static void Parameters(OpenApiDocument document)
    {
        foreach (var parameter in Operations(document).SelectMany(o => o.Parameters?.OfType<OpenApiParameter>() ?? []))
        {
            if (parameter.Schema is OpenApiSchema schema)
            {
                if (IsString(schema) && schema.MaxLength is null && schema.Enum is not { Count: > 0 })
                {
                    schema.MaxLength = HeaderRules.RequestTargetBytes;
                }
                Whole(parameter.Name!, schema);
            }
        }
    }

    /// <summary>The answers: a member named as a request's member carries what that member was allowed; then what the API writes.</summary>
    private static void Answers(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        var requests = RequestSchemas(document, schemas);
        var allowed = new Dictionary<string, OpenApiSchema>(StringComparer.Ordinal);
        foreach (var name in requests)
        {
            foreach (var (member, property) in (schemas[name] as OpenApiSchema)?.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (property is OpenApiSchema limited && (limited.MaxLength is not null || limited.MaxItems is not null))
                {
                    allowed[member] = allowed.TryGetValue(member, out var known) ? Widest(known, limited) : limited;
                }
            }
        }
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var (name, candidate) in schemas)
        {
            if (candidate is OpenApiSchema schema && !requests.Contains(name))
            {
                Answer(name, schema, allowed, seen);
            }
        }
        foreach (var (name, candidate) in schemas)
        {
            // Every whole number, request or answer, once the validators have said theirs.
            foreach (var (member, property) in (candidate as OpenApiSchema)?.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (property is OpenApiSchema number)
                {
                    Whole(member, number);
                    if (number.Items is OpenApiSchema item)
                    {
                        Whole(member, item);
                    }
                }
            }
        }
    }

    private static OpenApiSchema Widest(OpenApiSchema a, OpenApiSchema b) => new()
    {
        MaxLength = a.MaxLength is null || b.MaxLength is null ? null : Math.Max(a.MaxLength.Value, b.MaxLength.Value),
        MaxItems = a.MaxItems is null || b.MaxItems is null ? null : Math.Max(a.MaxItems.Value, b.MaxItems.Value),
        Items = a.Items ?? b.Items,
    };

    private static void Answer(string schemaName, OpenApiSchema schema, Dictionary<string, OpenApiSchema> allowed, HashSet<OpenApiSchema> seen)
    {
        if (!seen.Add(schema))
        {
            return;
        }
        foreach (var (member, candidate) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (candidate is not OpenApiSchema property)
            {
                continue;
            }
            allowed.TryGetValue(member, out var request);
            if (member == "items" && property.Type is { } listType && listType.HasFlag(JsonSchemaType.Array) && schemaName.StartsWith("PageOf", StringComparison.Ordinal))
            {
                property.MaxItems ??= PageRequest.MaxLimit;
            }
            if (member == "nextCursor")
            {
                property.MaxLength ??= PageRequest.MaxCursorLength;
            }
            // The answer's own entry first (what it is built from), then the request member of that name, then the generic entry.
            var own = Written.TryGetValue((schemaName, member), out var length) ? length : (int?)null;
            if (IsString(property) && property.MaxLength is null && property.Enum is not { Count: > 0 })
            {
                property.MaxLength = own ?? request?.MaxLength ?? Writes(schemaName, member);
            }
            if (property.Items is OpenApiSchema item && IsString(item) && item.MaxLength is null && item.Enum is not { Count: > 0 })
            {
                item.MaxLength = own ?? (request?.Items as OpenApiSchema)?.MaxLength ?? Writes(schemaName, member);
            }
            // No list of an answer takes a request's maxItems: other operations add to it (an obligation added after
            // the designation, a procureur added as a member), and a setting lowered later leaves longer lists stored.
            if (property.AdditionalProperties is OpenApiSchema map)
            {
                if (map.Items is OpenApiSchema text && IsString(text))
                {
                    text.MaxLength ??= Writes(schemaName, member);
                }
                Answer(schemaName, map, allowed, seen);
            }
            if (property.Items is OpenApiSchema { Properties.Count: > 0 } inline)
            {
                Answer(schemaName, inline, allowed, seen);
            }
        }
    }

    private static int? Writes(string schema, string member) =>
        Written.TryGetValue((schema, member), out var length) || Written.TryGetValue(("*", member), out length) ? length : null;

    private static bool IsString(OpenApiSchema schema) => schema.Type is { } type && type.HasFlag(JsonSchemaType.String);

    /// <summary>A whole number without a range: its format's, from 0 for what counts, measures or numbers something.</summary>
    private static void Whole(string name, OpenApiSchema schema)
    {
        if (schema.Type is not { } type || !type.HasFlag(JsonSchemaType.Integer))
        {
            return;
        }
        var wide = schema.Format == "int64";
        var never = name.Contains("count", StringComparison.OrdinalIgnoreCase) || name.Contains("size", StringComparison.OrdinalIgnoreCase)
            || name.Contains("seq", StringComparison.OrdinalIgnoreCase) || name.Contains("position", StringComparison.OrdinalIgnoreCase)
            || name.Contains("number", StringComparison.OrdinalIgnoreCase) || name.Contains("duration", StringComparison.OrdinalIgnoreCase)
            || name.Contains("checked", StringComparison.OrdinalIgnoreCase) || name.Contains("held", StringComparison.OrdinalIgnoreCase)
            || name.Contains("reports", StringComparison.OrdinalIgnoreCase) || name.Contains("version", StringComparison.OrdinalIgnoreCase);
        if (name == "status")
        {
            (schema.Minimum, schema.Maximum) = (schema.Minimum ?? "100", schema.Maximum ?? "599");
            return;
        }
        schema.Minimum ??= never ? "0" : (wide ? long.MinValue : int.MinValue).ToString(CultureInfo.InvariantCulture);
        schema.Maximum ??= (wide ? long.MaxValue : int.MaxValue).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The schemas a request body reaches.</summary>
    private static HashSet<string> RequestSchemas(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        void Visit(IOpenApiSchema? schema)
        {
            switch (schema)
            {
                case OpenApiSchemaReference reference when reference.Reference.Id is { } id && found.Add(id):
                    Visit(schemas[id]);
                    break;
                case OpenApiSchema inline:
                    foreach (var child in (inline.Properties?.Values ?? []).Append(inline.Items).Append(inline.AdditionalProperties)
                                 .Concat(inline.AllOf ?? []).Concat(inline.OneOf ?? []).Concat(inline.AnyOf ?? []))
                    {
                        Visit(child);
                    }
                    break;
            }
        }
        foreach (var content in Operations(document).SelectMany(o => o.RequestBody?.Content?.Values.AsEnumerable() ?? []))
        {
            Visit(content.Schema);
        }
        return found;
    }
}
