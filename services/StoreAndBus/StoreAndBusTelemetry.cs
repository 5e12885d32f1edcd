using Microsoft.Extensions.DependencyInjection;
using Npgsql;
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
        .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddNpgsql().AddSource("Marten", "MassTransit"))
        .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddNpgsqlInstrumentation().AddMeter("Marten", "MassTransit"));
}
