using Microsoft.Extensions.Logging.Console;

namespace EtatMajor.Api.Hosting;

/// <summary>
/// Issue 15, point 6: outside Development the console log is one JSON object per line, each line written inside a
/// request carrying that request's trace id and span id (the `traceId` its problem answers give the caller), for a log
/// collector to parse and to join with the access log. `Logging:Format` is `json` or `text` (the default in Development).
/// What goes into the lines is unchanged: ids, types and counts, never a body, a token or a secret.
/// </summary>
internal static class Logs
{
    public static void Configure(WebApplicationBuilder builder)
    {
        var format = builder.Configuration["Logging:Format"] ?? (builder.Environment.IsDevelopment() ? "text" : "json");
        if (!string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }
}
