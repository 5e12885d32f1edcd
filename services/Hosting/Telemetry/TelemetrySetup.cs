using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PatientJourney.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for every host, configured by the standard variables only: OTLP export when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_TRACES_SAMPLER</c>, ...),
/// and otherwise nothing at all: no provider, so no listener on any source and no cost on the hot paths
/// (<c>Telemetry:Collect=true</c> builds the pipeline without an exporter, for a test's in-memory one). Each signal
/// gets its own OTLP exporter rather than <c>UseOtlpExporter()</c>, which would give every host all three: logs are
/// per host, spans and instruments per process.
/// The store and the bus add their own sources where they are registered (StoreAndBusTelemetry).
/// </summary>
public static class TelemetrySetup
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string CollectSetting = "Telemetry:Collect";

    public static bool Exports(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointVariable]);

    public static void AddPatientJourneyTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var exports = Exports(configuration);
        if (!exports && !configuration.GetValue<bool>(CollectSetting)) return;
        var application = builder.Environment.ApplicationName;

        // Logs are each host's own (a logger provider serves its host only).
        builder.Logging.AddOpenTelemetry(o =>
        {
            // Scopes off: ASP.NET Core's request scope holds the path, and a path holds the patient id. The message is
            // kept: our messages name ids and kinds, never patient data (the rule of every log line). Trace and span ids
            // come with each record from the current span.
            o.IncludeScopes = false;
            o.IncludeFormattedMessage = true;
        });
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logs =>
        {
            logs.ConfigureResource(r => Describe(r, configuration, application));
            if (exports) logs.AddOtlpExporter();
        });

        // Spans and instruments are listened to process-wide: of the four department hosts of one process, the first
        // exports them for all four (another provider would export each span again).
        if (ProcessPipeline.TryClaim() is not { } claim) return;
        builder.Services.AddHostedService(_ => claim); // released when this host's services are disposed
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing.ConfigureResource(r => Describe(r, configuration, application))
                    .AddSource(PatientJourneyTelemetry.Name)
                    // Probes every few seconds are noise, not requests.
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    .AddProcessor(new PatientDataRedaction()); // before any exporter
                if (exports) tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.ConfigureResource(r => Describe(r, configuration, application))
                    .AddMeter(PatientJourneyTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (exports) metrics.AddOtlpExporter();
            });
    }

    /// <summary>
    /// service.name from OTEL_SERVICE_NAME, else the application's own; service.instance.id from OTEL_RESOURCE_ATTRIBUTES
    /// (read by the SDK), else <c>Instance:Name</c>, else one the SDK makes up at start.
    /// </summary>
    internal static void Describe(ResourceBuilder resource, IConfiguration configuration, string applicationName)
    {
        var name = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } given ? given : applicationName;
        var instanceGiven = (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "").Split(',')
            .Any(a => a.Split('=')[0].Trim() == "service.instance.id");
        resource.AddService(name, serviceInstanceId: instanceGiven ? null : configuration["Instance:Name"], autoGenerateServiceInstanceId: !instanceGiven);
    }

    /// <summary>The one pipeline of a process, held by the host that built it until its services are disposed.</summary>
    private sealed class ProcessPipeline : IHostedService, IDisposable
    {
        private static int _claimed;
        private int _released;

        public static ProcessPipeline? TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0 ? new ProcessPipeline() : null;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Volatile.Write(ref _claimed, 0);
        }
    }
}
