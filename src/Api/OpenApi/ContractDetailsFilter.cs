using EtatMajor.SharedKernel.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EtatMajor.Api.OpenApi;

/// <summary>
/// What the contract says beyond the endpoints (issue 15): the closed sets checked against lists; a description for each tag (one per module, the
/// organisations and clients apart from governance); the rate-limit headers on every 2xx and 4xx answer (a 429 of the
/// limiter says r=0), and `Retry-After` on 429 and 503, as <see cref="Http.RateLimitHeadersMiddleware"/> and the refusals
/// send them.
/// </summary>
internal sealed class ContractDetailsFilter : IDocumentFilter
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Governance"] = "The EMS and the CCOFSI (CSI art. L132-10-1 and R132-6-1): instances, members and participants, joint proposals, meetings, the DNO count, the règlement intérieur and its acknowledgements (docs/governance.md).",
        ["Organisations and clients"] = "The organisations of the house and their API clients, for administrators (scope admin): clients are created, listed, disabled, enabled again and given new secrets here (docs/operations.md).",
        ["Exchanges"] = "Confidential information between the members of an instance, under the confidentiality policy (CONF-1..5): send, check, read, download, forward, and the procureur's review of what is held (docs/exchanges.md).",
        ["Confidentiality"] = "The policy's rules as they apply, and the audience of a subject (docs/exchanges.md).",
        ["Follow-up"] = "Convicted persons leaving detention designated by the procureur (DES-1..6, FLOW-1..2): obligations, assigned services, observations, the closed list of events, erasure (docs/follow-up.md).",
        ["Penal policy"] = "The procureurs' yearly briefing (POL-1), the synthesis of the annual report (POL-2), opinions on the art. 41-1 CPP measures (OPN-1) (docs/penal-policy.md).",
        ["Access log"] = "The access log (loi 78-17 art. 101), for auditors: records, exports verifiable offline, checkpoints, integrity (docs/audit.md).",
    };

    /// <summary>
    /// Closed sets the validators check against a list rather than an enum type: the same lists, as enums (a generated
    /// client then refuses a value outside them). A document kind of the criminal procedure is in the set: the API reads
    /// it, to refuse the attachment under CONF-2 (403), rather than as an unknown value (400).
    /// </summary>
    private static readonly Dictionary<(string Schema, string Member), IReadOnlyList<string>> ClosedSets = new()
    {
        [("AttachmentInput", "mediaType")] = SharedKernel.Content.DocumentKinds.MediaTypes,
        [("AttachmentInput", "documentKind")] = [.. SharedKernel.Content.DocumentKinds.Allowed, .. SharedKernel.Disclosures.CriminalProcedureDocuments.Kinds],
        [("CreateClient", "scopes")] = SharedKernel.Identity.Scopes.All,
        // What the API gives back is from the same sets.
        [("AttachmentDto", "mediaType")] = SharedKernel.Content.DocumentKinds.MediaTypes,
        [("AttachmentDto", "documentKind")] = [.. SharedKernel.Content.DocumentKinds.Allowed, .. SharedKernel.Disclosures.CriminalProcedureDocuments.Kinds],
        [("SynthesisAttachmentDto", "mediaType")] = SharedKernel.Content.DocumentKinds.MediaTypes,
        [("SynthesisAttachmentDto", "documentKind")] = [.. SharedKernel.Content.DocumentKinds.Allowed, .. SharedKernel.Disclosures.CriminalProcedureDocuments.Kinds],
        [("ClientDto", "scopes")] = SharedKernel.Identity.Scopes.All,
        [("ClientCreated", "scopes")] = SharedKernel.Identity.Scopes.All,
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var ((schemaName, member), values) in ClosedSets)
        {
            if (document.Components?.Schemas is { } schemas && schemas.TryGetValue(schemaName, out var found) && found is OpenApiSchema schema
                && schema.Properties is { } properties && properties.TryGetValue(member, out var candidate) && candidate is OpenApiSchema property)
            {
                var target = property.Items as OpenApiSchema ?? property;
                target.Enum = [.. values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)!)];
                if (target.Type is { } type && type.HasFlag(JsonSchemaType.Null))
                {
                    // A nullable member's set holds null too (OpenAPI 3.0 checks the enum after `nullable`).
                    target.Enum.Add(null!);
                }
            }
        }
        Bound(document);
        Limits.Apply(document, context);
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var (status, response) in operation.Responses ?? new OpenApiResponses())
            {
                if (response is not OpenApiResponse answer)
                {
                    continue;
                }
                answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
                if (status is "429" or "503")
                {
                    answer.Headers["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer);
                }
                if (status.Length == 3 && status[0] is '2' or '4')
                {
                    answer.Headers[Http.RateLimitHeadersMiddleware.State] = Header(
                        "Where the caller stands (its client, or its address without a token): `\"client\";r=REMAINING;t=SECONDS` — the requests it may still send at once, and the seconds until more are allowed (IETF RateLimit header fields).",
                        JsonSchemaType.String);
                    answer.Headers[Http.RateLimitHeadersMiddleware.Policy] = Header(
                        "The per-client limit: `\"client\";q=PERMITS;w=1`, the permits refilled each second (a burst of `RateLimiting:PerClient:Burst` at most).",
                        JsonSchemaType.String);
                }
            }
        }
    }

    /// <summary>
    /// The lengths a format fixes, on every string of the document (what the API reads and what it writes alike): a
    /// UUID is 36 characters, a date 10 (2026-03-14); and the paging parameters as PageRequest reads them.
    /// </summary>
    private static void Bound(OpenApiDocument document)
    {
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            Walk(schema, seen);
        }
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                Walk(parameter.Schema, seen);
                if (parameter.In == ParameterLocation.Query && parameter.Schema is OpenApiSchema query)
                {
                    switch (parameter.Name)
                    {
                        case "limit":
                            (query.Minimum, query.Maximum) = ("1", PageRequest.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
                            break;
                        case "cursor":
                            query.MaxLength = PageRequest.MaxCursorLength;
                            break;
                    }
                }
            }
        }
    }

    private static void Walk(IOpenApiSchema? candidate, HashSet<OpenApiSchema> seen)
    {
        if (candidate is not OpenApiSchema schema || !seen.Add(schema))
        {
            return;
        }
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && schema.MaxLength is null && schema.Enum is not { Count: > 0 })
        {
            // An instant: the API writes UTC to the millisecond (29 characters) and reads at most 40 (the auditors' filters say so).
            schema.MaxLength = schema.Format switch { "uuid" => 36, "date" => 10, "date-time" => 40, _ => null };
        }
        foreach (var child in (schema.Properties?.Values ?? []).Append(schema.Items).Append(schema.AdditionalProperties)
                     .Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []))
        {
            Walk(child, seen);
        }
    }

    private static OpenApiHeader Header(string description, JsonSchemaType type) => new()
    {
        Description = description,
        Schema = type == JsonSchemaType.String ? new OpenApiSchema { Type = type, MaxLength = 100 } : new OpenApiSchema { Type = type, Format = "int32", Minimum = "0", Maximum = "86400" },
    };
}
