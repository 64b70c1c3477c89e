using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EtatMajor.Api.OpenApi;

/// <summary>
/// The OpenAPI document and Swagger UI (on in Development; `Swagger:Enabled` elsewhere). One OAuth2
/// client-credentials scheme whose Authorize button gets a token from /connect/token.
/// </summary>
internal static class SwaggerSetup
{
    public const string SchemeName = "oauth2";

    private static readonly Dictionary<string, string> ScopeDescriptions = new()
    {
        [Scopes.Admin] = "Administration: organisations, clients, all instances",
        [Scopes.Governance] = "Governance of the instances: composition, meetings, règlement intérieur",
        [Scopes.PenalPolicy] = "Penal policy: briefings, report syntheses, opinions on art. 41-1 CPP measures",
        [Scopes.FollowUp] = "Follow-up of designated convicted persons",
        [Scopes.Exchange] = "Confidential exchanges between members",
        [Scopes.Audit] = "The access log (auditors only)",
    };

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue<bool>("Swagger:Enabled");

    public static IServiceCollection AddEtatMajorSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        // The validators the modules registered (they are registered before this): the contract's constraints come from them.
        services.AddSingleton(new ValidatedRequests(services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(SharedKernel.Validation.IValidator<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0]).Distinct().ToList()));
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "EtatMajor API",
                Version = "v1",
                Description = "The API of the états-majors de sécurité (EMS) and the CCOFSI (CSI art. L132-10-1 and R132-6-1). " +
                              "Authorize with client credentials, then Try it out. Errors are RFC 9457 problem details.",
                Contact = new OpenApiContact { Name = "The operators of this EtatMajor deployment (docs/operations.md)" },
            });
            options.AddSecurityDefinition(SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "OAuth2 client credentials (client_secret_basic or client_secret_post). The access token is a JWT (a JWS, type at+jwt) " +
                              "used as a bearer token, issued and validated as RFC8725 asks: signed with the server's own key, its algorithm never " +
                              "taken from the token (`none` is refused), its issuer, type and expiry (15 minutes at most) checked, a disabled client refused at its next request.",
                Flows = new OpenApiOAuthFlows
                {
                    ClientCredentials = new OpenApiOAuthFlow
                    {
                        TokenUrl = new Uri(Auth.AuthSetup.TokenPath, UriKind.Relative),
                        Scopes = ScopeDescriptions,
                    },
                },
            });
            options.OperationFilter<AccessOperationFilter>();
            options.OperationFilter<CamelCaseQueryFilter>();
            options.DocumentFilter<ProblemSchemaFilter>();
            options.DocumentFilter<PlainBodyReferences>();
            options.DocumentFilter<ValidatedSchemaFilter>();
            options.DocumentFilter<ContractDetailsFilter>();
            options.DocumentFilter<Descriptions>();
            options.DocumentFilter<Examples>();
            options.DocumentFilter<NullableReferences>();
            // The API is served where this document is: relative, so that Swagger UI and generators call the host they read it from.
            // x-internal false: the API is for the State services' software across their networks, not one team's internal use.
            options.AddServer(new OpenApiServer
            {
                Url = "/",
                Description = "The host serving this document: production, staging or local alike (each deployment serves its own)",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(false)) },
            });
            options.CustomSchemaIds(SchemaId);
            // A member declared non-nullable is always there and never null: required, not nullable, for generators.
            options.SupportNonNullableReferenceTypes();
            // A member whose type is a schema of its own is `allOf: [$ref]`, so that it can carry its own description
            // (OpenAPI 3.0 ignores what sits beside a bare $ref).
            options.UseAllOfToExtendReferenceSchemas();
            options.NonNullableReferenceTypesAsRequired();
        });
        return services;
    }

    /// <summary>Short schema names; generics read as PageOfInstanceDto.</summary>
    internal static string SchemaId(Type type) => type.IsGenericType
        ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Join("And", type.GetGenericArguments().Select(SchemaId))
        : type.Name;

    /// <summary>Says on the console where Swagger UI is, once the server listens (a newcomer's first question).</summary>
    public static void AnnounceAddress(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EtatMajor.Api");
        // No server addresses when the host runs without a server (the OpenAPI export, `dotnet swagger tofile`).
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            // A wildcard host is not something to type in a browser.
            var browsable = address.Replace("://[::]", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://*", "://localhost", StringComparison.Ordinal);
            logger.LogInformation("Swagger UI: {Address}/swagger", browsable.TrimEnd('/'));
        }
    }

    public static WebApplication UseEtatMajorSwagger(this WebApplication app)
    {
        app.UseSwagger(options => options.PreSerializeFilters.Add((document, request) =>
        {
            // Swagger UI needs the token URL absolute, on the host the person is browsing.
            if (document.Components?.SecuritySchemes?.TryGetValue(SchemeName, out var scheme) == true
                && scheme.Flows?.ClientCredentials is { } flow)
            {
                flow.TokenUrl = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{Auth.AuthSetup.TokenPath}");
            }
        }));
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/swagger/v1/swagger.json", "EtatMajor API v1");
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "EtatMajor API";
            options.EnablePersistAuthorization();
        });
        return app;
    }
}

/// <summary>
/// Query parameters bound from a record (`[AsParameters] EventQuery`) are named as its properties (`ResourceId`); the API
/// reads the query without regard to case, and the house's names are camelCase (`?resourceId=`, as the guides write
/// them): the contract says so, and a generated client sends what the guides show.
/// </summary>
internal sealed class CamelCaseQueryFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Query && parameter.Name is { Length: > 0 } name && char.IsUpper(name[0]))
            {
                parameter.Name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
            }
        }
    }
}

/// <summary>Each operation lists the scope(s) and organisation kinds it requires, and its error responses.</summary>
internal sealed class AccessOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var rules = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AccessRule>().ToList();
        if (rules.Count == 0)
        {
            return;
        }
        operation.Security = rules.Select(rule => new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(SwaggerSetup.SchemeName, context.Document)] = [rule.Scope],
        }).ToList();
        var requires = "**Requires** " + string.Join(" **or** ", rules.Select(r => r.ToString())) + ".";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? requires : operation.Description + "\n\n" + requires;
        operation.Responses ??= [];
        AddProblem(operation, "400", "Invalid input (problem+json with an `errors` map by field)");
        AddProblem(operation, "401", "Missing, expired or invalid token, or disabled client");
        AddProblem(operation, "403", "This client's scope or organisation kind may not do this");
        AddProblem(operation, "503", "Database unavailable; retry after `Retry-After` seconds");
        AddProblem(operation, "429", "Too many requests from this client; retry after `Retry-After` seconds");
        AddProblem(operation, "500", "Unexpected failure; nothing was changed. Quote the `traceId` to the operators");
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (string.Equals(context.ApiDescription.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase))
        {
            AddHeader(operation, Http.IdempotencyOptions.Header, required: false, maxLength: Http.IdempotencyOptions.MaxKeyLength,
                "A key of your choice (a UUID) that makes a retry safe: the same key and request get the first response back " +
                "(`Idempotency-Replayed: true`), another request under it 422, while the first runs 409. Scoped to your client; kept 24 h.");
            AddProblem(operation, "409", "Conflict with the current state, or a request with this Idempotency-Key still running");
            AddProblem(operation, "422", "Against a rule, or this Idempotency-Key was used for another request");
        }
        if (metadata.OfType<SharedKernel.Http.JustificationRequired>().Any())
        {
            AddHeader(operation, SharedKernel.Http.CallerHeaders.Justification, required: true, maxLength: SharedKernel.Http.CallerHeaders.MaxJustificationLength,
                "The motif of this consultation or communication of personal data, kept in the access log (LOG-1); 400 without it.");
        }
        if (metadata.OfType<SharedKernel.Http.Versioned>().Any())
        {
            AddHeader(operation, "If-Match", required: true, maxLength: 100,
                "The ETag of the version you read: 428 without it, 412 when it is no longer the current one.");
        }
    }

    private static void AddHeader(OpenApiOperation operation, string name, bool required, int maxLength, string description)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == name))
        {
            return;
        }
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name, In = ParameterLocation.Header, Required = required, Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength },
        });
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description)
    {
        if (!operation.Responses!.ContainsKey(status))
        {
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
            };
        }
        else if (string.IsNullOrEmpty(operation.Responses[status].Description) || operation.Responses[status].Description == "Bad Request")
        {
            if (operation.Responses[status] is OpenApiResponse response)
            {
                response.Description = description;
            }
        }
    }
}

/// <summary>
/// One schema for every error answer (RFC 9457 problem details), with the members this API adds: the trace id to quote,
/// the fields at fault, the rule of law that refuses and its legal basis, the policy's violations, the reasons an
/// exchange or minutes are held. Every 4xx and 5xx response of the document refers to it.
/// </summary>
internal sealed class ProblemSchemaFilter : IDocumentFilter
{
    public const string Name = "Problem";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[Name] = Schema();
        var reference = new OpenApiSchemaReference(Name, document);
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var (status, response) in operation.Responses ?? new OpenApiResponses())
            {
                if (!int.TryParse(status, out var code) || code < 400 || response.Content is null)
                {
                    continue;
                }
                foreach (var media in response.Content.Values.OfType<OpenApiMediaType>())
                {
                    media.Schema = reference;
                }
            }
        }
        // Nothing refers to the framework's own problem schema any more.
        document.Components.Schemas.Remove("ProblemDetails");
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error (RFC 9457). `type` names the problem (docs/problems.md); a refusal by a rule of law names it in `ruleId` and `legalBasis`.",
        Required = new HashSet<string> { "type", "title", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("The problem's type, a path such as `/problems/validation` (docs/problems.md)"),
            ["title"] = Text("A short summary of the problem's type"),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599", Description = "The HTTP status" },
            ["detail"] = Text("What went wrong with this request, for a person to read"),
            ["instance"] = Text("The path of the request"),
            ["traceId"] = Text("The W3C trace id of the request (`00-<trace>-<span>-00`): quote it to the operators; the access log records it"),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "400: for each field (or header) at fault, what it must be",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["ruleId"] = Text("The rule of law that refuses the request (CONF-1, DES-2, LOG-1…; docs/domain.md)"),
            ["legalBasis"] = Text("The article the rule comes from"),
            ["violations"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "A policy refusal (403): every rule broken, in the order of the rules, with what each concerns",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["ruleId"] = Text("The rule broken"),
                        ["legalBasis"] = Text("Its article"),
                        ["message"] = Text("What breaks it"),
                    },
                    AdditionalProperties = new OpenApiSchema(),
                },
            },
        },
        AdditionalProperties = new OpenApiSchema(),
    };
}

/// <summary>
/// The wrapping that lets a member carry its own description (UseAllOfToExtendReferenceSchemas, `allOf: [$ref]`): a
/// request's or an answer's body is its schema itself (`$ref`), the wrapping has nothing to add to a whole body.
/// </summary>
internal sealed class PlainBodyReferences : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            var contents = (operation.RequestBody?.Content?.Values.AsEnumerable() ?? [])
                .Concat((operation.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Values.AsEnumerable() ?? []));
            foreach (var content in contents.OfType<OpenApiMediaType>())
            {
                if (content.Schema is OpenApiSchema { AllOf: [OpenApiSchemaReference reference] } wrapper && wrapper.Properties is not { Count: > 0 })
                {
                    content.Schema = reference;
                }
            }
        }
    }
}

/// <summary>
/// Last: a member wrapped as `allOf: [$ref]` that is still nullable once the validators have said what is required
/// states its schema's type beside `nullable`, as OpenAPI 3.0 requires; a closed set's longest value is then its
/// maxLength (an enum holding null is refused by the linters, and without null it would refuse the null it allows).
/// </summary>
internal sealed class NullableReferences : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            foreach (var property in schema.Properties?.Values.OfType<OpenApiSchema>() ?? [])
            {
                if (property is { AllOf: [OpenApiSchemaReference { Reference.Id: { } id }] } && property.Type is { } type && type.HasFlag(JsonSchemaType.Null)
                    && document.Components!.Schemas![id] is OpenApiSchema { Type: { } referenced } target)
                {
                    property.Type = referenced | JsonSchemaType.Null;
                    if (target.Enum is { Count: > 0 } values)
                    {
                        property.MaxLength = values.Max(v => v?.ToString().Length ?? 0);
                    }
                }
            }
        }
    }
}
