using System.Diagnostics.Metrics;
using Marten;
using RabbitMQ.Client.Exceptions;
using PatientJourney.Contracts;
using PatientJourney.Hosting.Telemetry;
using PatientJourney.Journey.Surveillance;
using PatientJourney.Journey.Worklist;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.Journey.Telemetry;

/// <summary>What the journey tells its operators (docs/operations.md, "Telemetry").</summary>
public static class JourneyMetrics
{
    private static readonly Histogram<double> Lag = PatientJourneyTelemetry.Meter.CreateHistogram<double>("patientjourney.journey.lag", "s",
        "From a department's recordedAt to the journey's commit of the event.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });

    internal static readonly SampledGauge DeadLetters = new("patientjourney.journey.dead_letters", "{message}",
        "Messages in the journey's error queue (journey-events_error), waiting for an operator.");

    internal static readonly SampledGauge WorklistItems = new("patientjourney.worklist.items", "{item}",
        "Open surveillance worklist items by status, as of today.");

    /// <summary>Recorded after the commit, for the events it appended.</summary>
    public static void Committed(DateTimeOffset committedAt, IEnumerable<IReadOnlyList<ClinicalEvent>> appended)
    {
        if (!Lag.Enabled) return;
        foreach (var events in appended)
            foreach (var e in events)
                Lag.Record(Math.Max(0, (committedAt - e.RecordedAt).TotalSeconds), new KeyValuePair<string, object?>(PatientJourneyTelemetry.DepartmentTag, e.Department));
    }
}

/// <summary>Adds the journey's sampled gauges while it runs: its dead letters and its worklist's counts.</summary>
public sealed class JourneyGauges(IDocumentStore store, RabbitMqSettings broker, TimeProvider clock) : IHostedService, IAsyncDisposable
{
    private readonly QueueDepth _errors = new(broker, BrokerAccounts.JourneyQueue + "_error", "journey dead-letter gauge");
    private IDisposable? _deadLetters, _worklist;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _deadLetters = JourneyMetrics.DeadLetters.Add(async ct =>
        {
            try
            {
                return [new((await _errors.AskAsync(ct)).MessageCount)];
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                return [new(0)]; // MassTransit declares the error queue with its first dead letter
            }
        });
        _worklist = JourneyMetrics.WorklistItems.Add(async ct =>
        {
            var counts = await WorklistCounts.AsOfAsync(store, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
            return ItemStatus.Open.Select(s => new Measurement<long>(counts.Of(s), new KeyValuePair<string, object?>(PatientJourneyTelemetry.StatusTag, s))).ToList();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _deadLetters?.Dispose();
        _worklist?.Dispose();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => _errors.DisposeAsync();
}
