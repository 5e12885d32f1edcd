using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PatientJourney.StoreAndBus;

/// <summary>
/// What the store and the bus add to a host's telemetry (TelemetrySetup), when it has any: Npgsql's commands (their
/// text holds parameters, never values; Npgsql records no parameter), Marten's sessions and event counters, and
/// MassTransit's sends and consumes. Only configuration: without a pipeline nothing listens.
/// </summary>
public static class StoreAndBusTelemetry
{
    public static IServiceCollection AddStoreAndBusTelemetry(this IServiceCollection services) => services
        .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddNpgsql().AddSource("Marten", "MassTransit").AddProcessor(new StoreWorkOutsideAnyTrace()))
        .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddNpgsqlInstrumentation().AddMeter("Marten", "MassTransit"));

    /// <summary>
    /// The store's work that no request, message or span of ours started is not recorded: Marten's async daemon polls its
    /// high-water mark and the outbox's progress every second or faster in every department, and each poll would be a
    /// trace of its own, drowning the facts' traces. Their spans under a traced request or message are kept.
    /// </summary>
    private sealed class StoreWorkOutsideAnyTrace : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (data.Parent is null && data.ParentSpanId == default && data.Source.Name is "Marten" or "Npgsql")
            {
                data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded; // its children are not sampled either
                data.IsAllDataRequested = false;
            }
        }
    }
}
