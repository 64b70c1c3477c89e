using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using EtatMajor.SharedKernel.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Mvc;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Http;

/// <summary>RFC 9457 problem details for every error status, with traceId; never a stack trace.</summary>
internal static class ProblemSetup
{
    public static IServiceCollection AddEtatMajorHttp(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            var json = options.SerializerOptions;
            json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            // Unknown members are rejected: a typo in a field name must not be silently ignored.
            json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // Enum values exactly as spelt (issue 14: "PREFET" was accepted); the standard converter after it only tells
            // Swashbuckle that enums are strings, in kebab-case.
            json.Converters.Add(new EtatMajor.SharedKernel.Http.KebabEnumConverter());
            json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        });
        // Bad JSON or parameters reach the exception handler, which names the field at fault.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Registered before AddProblemDetails' own writer, so it is the one asked first, and it always answers.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            problem.Extensions.Remove("exception");
            if (problem.Type is null or { Length: 0 } || problem.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                problem.Type = DefaultType(problem.Status);
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }

    public static string DefaultType(int? status) => status switch
    {
        400 => ProblemTypes.Validation,
        401 => ProblemTypes.Unauthorized,
        403 => ProblemTypes.Forbidden,
        404 => ProblemTypes.NotFound,
        405 => "/problems/method-not-allowed",
        409 => ProblemTypes.Conflict,
        413 => ProblemTypes.PayloadTooLarge,
        415 => "/problems/unsupported-media-type",
        422 => ProblemTypes.Unprocessable,
        503 => ProblemTypes.Unavailable,
        _ => ProblemTypes.Internal,
    };
}

/// <summary>A problem written by a middleware that answers by itself (a limit, a key, a header): one shape for all.</summary>
internal static class ProblemWriting
{
    public static Task WriteProblemAsync(this IProblemDetailsService problems, HttpContext context, int status, string type, string title, string detail,
        IDictionary<string, string[]>? errors = null)
    {
        context.Response.StatusCode = status;
        var problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Type = type;
        problem.Title = title;
        problem.Detail = detail;
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }
}

/// <summary>
/// Writes every problem as `application/problem+json`, whatever the request's Accept header (RFC 9457). The
/// framework's own writer declines when a client asks only for text/csv, text/html or application/xml, and
/// the error then became an empty 500: an error keeps its status and its body for every client.
/// </summary>
internal sealed class ProblemJsonWriter(
    Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, ContentType));
    }
}

/// <summary>Maps exceptions to problem details: expected ones by their type, the rest to a bare 500.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception);
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            // An unexpected failure: operators need the stack trace (logs only, never the response). Request
            // bodies are never part of an exception raised here, so business content stays out of the logs.
            logger.LogError(exception, "Request failed with an unexpected {ExceptionType}", exception.GetType().FullName);
        }
        else if (problem.Status >= 500)
        {
            logger.LogWarning("Request failed with {Status}: {ExceptionType}", problem.Status, exception.GetType().FullName);
        }
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    internal static ProblemDetails Map(Exception exception)
    {
        switch (exception)
        {
            case RequestValidationException validation:
                return new HttpValidationProblemDetails(validation.Errors.ToDictionary(e => e.Key, e => e.Value))
                {
                    Status = 400, Type = validation.Type, Title = validation.Title, Detail = validation.Message,
                };
            case ProblemException known:
                var problem = new ProblemDetails { Status = known.Status, Type = known.Type, Title = known.Title, Detail = known.Message };
                if (known.Rule is { } rule)
                {
                    problem.Extensions["ruleId"] = rule.Id;
                    problem.Extensions["legalBasis"] = rule.LegalBasis;
                }
                if (known is UnprocessableException unprocessable)
                {
                    problem.Extensions["field"] = unprocessable.Field;
                }
                foreach (var (key, value) in known.Extensions)
                {
                    problem.Extensions[key] = value;
                }
                return problem;
            case BadHttpRequestException bad:
                return BadRequest(bad);
            case DbException db when DbErrors.IsUniqueViolation(db):
                return new ProblemDetails
                {
                    Status = 409, Type = ProblemTypes.Conflict, Title = "Conflict with the current state",
                    Detail = "This would duplicate an existing resource.",
                };
            case DbException db when DbErrors.IsUnavailable(db):
            case TimeoutException:
                return new ProblemDetails
                {
                    Status = 503, Type = ProblemTypes.Unavailable, Title = "Service unavailable",
                    Detail = "The database is unavailable or busy; nothing was changed. Retry later.",
                };
            default:
                return new ProblemDetails
                {
                    Status = 500, Type = ProblemTypes.Internal, Title = "Internal error",
                    Detail = "The request failed; nothing was changed. Quote the traceId to the operators.",
                };
        }
    }

    /// <summary>The longest sentence of the server's own sent back about a request it could not read.</summary>
    private const int MaxEcho = 500;

    private static ProblemDetails BadRequest(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = 413, Type = ProblemTypes.PayloadTooLarge, Title = "Payload too large", Detail = "The request body exceeds the size limit." };
        }
        var errors = new Dictionary<string, string[]>();
        if (bad.InnerException is JsonException json)
        {
            var path = json.Path is null or "$" ? "body" : json.Path.TrimStart('$', '.');
            errors[path] = [JsonMessage(json)];
        }
        else
        {
            // ASP.NET Core's sentence quotes the value it could not bind: a hostile value is not sent back whole.
            errors["request"] = [bad.Message.Length <= MaxEcho ? bad.Message : bad.Message[..MaxEcho] + "…"];
        }
        return new HttpValidationProblemDetails(errors)
        {
            Status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400,
            Type = bad.StatusCode == StatusCodes.Status415UnsupportedMediaType ? "/problems/unsupported-media-type" : ProblemTypes.Validation,
            Title = "Invalid request",
            Detail = "The request could not be read.",
        };
    }

    /// <summary>System.Text.Json messages name CLR types; keep the part an integrator can act on.</summary>
    private static string JsonMessage(JsonException json)
    {
        var message = json.Message;
        if (message.StartsWith("must be one of: ", StringComparison.Ordinal))
        {
            // KebabEnumConverter's own sentence: the values the field accepts.
            return message.Split(" Path:", 2)[0];
        }
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "is not a known member of this request";
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "has a value of the wrong type or an unknown enum value";
        }
        return "is not valid JSON here";
    }
}

/// <summary>Bodies over `Api:MaxRequestBodyBytes` get 413 before anything is read.</summary>
internal sealed class BodySizeLimitMiddleware(RequestDelegate next, IConfiguration configuration)
{
    private readonly long defaultLimit = configuration.GetValue<long>("Api:MaxRequestBodyBytes", 1_048_576);

    public Task InvokeAsync(HttpContext context)
    {
        // An endpoint that carries attachments declares its own, larger limit.
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<EtatMajor.SharedKernel.Http.RequestBodyLimit>()?.Bytes ?? defaultLimit;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        if (context.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }
        return next(context);
    }
}
