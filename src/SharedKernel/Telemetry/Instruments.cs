using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EtatMajor.SharedKernel.Telemetry;

/// <summary>
/// The house's own traces and metrics (issue 15), exported by OpenTelemetry when an OTLP endpoint is configured
/// (docs/operations.md): spans of the database statements, the access log's group commit, the policy's decisions.
/// Nothing here carries a value of a request: a statement's span has its SQL text (constants and parameter names only),
/// a decision its rule and outcome. Without a listener, a span is not even made (ActivitySource.StartActivity).
/// </summary>
public static class Instruments
{
    public const string Name = "EtatMajor";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Records per group commit of the access log.</summary>
    public static readonly Histogram<int> AccessLogBatchSize = Meter.CreateHistogram<int>(
        "etatmajor.access_log.batch.size", unit: "{record}", description: "Records made durable by one group commit of the access log");

    /// <summary>The time from the batch's first statement to its durable commit.</summary>
    public static readonly Histogram<double> AccessLogCommitDuration = Meter.CreateHistogram<double>(
        "etatmajor.access_log.commit.duration", unit: "s", description: "Duration of one group commit of the access log, until durable");

    /// <summary>Decisions of the confidentiality policy, by rule (`none` when allowed) and outcome (allow, deny, hold).</summary>
    public static readonly Counter<long> PolicyDecisions = Meter.CreateCounter<long>(
        "etatmajor.policy.decisions", unit: "{decision}", description: "Decisions of the confidentiality policy by rule and outcome");

    /// <summary>A span for one statement, when someone listens: its verb, its provider and its text.</summary>
    public static Activity? Statement(string provider, string sql)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity("db " + Verb(sql), ActivityKind.Client);
        activity?.SetTag("db.system.name", provider);
        activity?.SetTag("db.operation.name", Verb(sql));
        activity?.SetTag("db.query.text", sql);
        return activity;
    }

    private static string Verb(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        var end = text.IndexOfAny(' ', '\n', '\t');
        return (end < 0 ? text : text[..end]).ToString().ToUpperInvariant();
    }
}
