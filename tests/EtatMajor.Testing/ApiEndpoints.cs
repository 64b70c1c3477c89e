using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Testing;

/// <summary>The endpoints the running app exposes under /api (its endpoint data source), for the tests that try them all.</summary>
public static partial class ApiEndpoints
{
    /// <summary>Every (method, route template), ordered by template then method.</summary>
    public static IReadOnlyList<(string Method, string Template)> Of(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => (method, e.RoutePattern.RawText!)))
            .Distinct()
            .OrderBy(e => e.Item2, StringComparer.Ordinal).ThenBy(e => e.method, StringComparer.Ordinal)
            .ToList();

    /// <summary>The template with each route parameter replaced: <paramref name="value"/> gets its name and its constraint (":guid").</summary>
    public static string Fill(string template, Func<string, string, string> value) =>
        RouteParameter().Replace(template, m => value(m.Groups["name"].Value, m.Groups["constraint"].Value));

    [GeneratedRegex(@"\{(?<name>\w+)(?<constraint>:[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
