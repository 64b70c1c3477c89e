using EtatMajor.SharedKernel.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EtatMajor.Api.Hosting;

/// <summary>
/// OpenTelemetry (issue 15), on only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (the standard variables configure the
/// rest: `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_SERVICE_NAME`, `OTEL_METRIC_EXPORT_INTERVAL`…). Traces: the requests
/// (ASP.NET Core), the outgoing HTTP calls, SQL Server's commands and the house's statement spans on either provider.
/// Metrics: the same, the runtime's, the access log's group commit (batch size, duration until durable) and the
/// policy's decisions by rule and outcome. What a request carries stays out: no header, no body, no query value (the
/// instrumentation redacts them), no exception message; a statement's span has its SQL text, which holds no value.
/// </summary>
internal static class Telemetry
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddEtatMajorTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointVariable]))
        {
            return;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("etatmajor-api"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.RecordException = false)
                .AddHttpClientInstrumentation(options => options.RecordException = false)
                .AddSqlClientInstrumentation()
                .AddSource(Instruments.Name)
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Instruments.Name)
                .AddOtlpExporter());
    }
}
