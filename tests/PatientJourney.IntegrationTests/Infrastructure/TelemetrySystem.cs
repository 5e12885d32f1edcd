using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using PatientJourney.Hosting.Telemetry;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>
/// The whole system with its telemetry pipeline built (no exporter: <see cref="TelemetrySetup.CollectSetting"/>) and
/// every finished span and log record kept here, after the pipeline's own processors (the redaction) have run. Spans
/// are listened to process-wide, so other test classes' spans arrive too: a test looks at its own trace only.
/// </summary>
public sealed class TelemetrySystem : PatientJourneySystem
{
    public ConcurrentQueue<Activity> Spans { get; } = new();
    public ConcurrentQueue<CapturedLog> Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [TelemetrySetup.CollectSetting] = "true", ["Logging:LogLevel:Default"] = "Debug", ["Logging:LogLevel:Marten"] = "Debug",
    };

    protected override Action<IServiceCollection> TestServices => services => services
        .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SpanCapture(Spans)))
        .ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(new LogCapture(Logs)));

    /// <summary>A log record as exported: its trace, its message and every attribute, as text (records are pooled).</summary>
    public sealed record CapturedLog(ActivityTraceId TraceId, string Category, string Text);

    private sealed class SpanCapture(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }

    private sealed class LogCapture(ConcurrentQueue<CapturedLog> logs) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data) => logs.Enqueue(new CapturedLog(data.TraceId, data.CategoryName ?? "",
            $"{data.Body} | {data.FormattedMessage} | {string.Join(" ", (data.Attributes ?? []).Select(a => $"{a.Key}={a.Value}"))} | {data.Exception?.Message}"));
    }
}
