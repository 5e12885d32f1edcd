using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using PatientJourney.Hosting.Telemetry;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Telemetry;

/// <summary>
/// The operations metrics of docs/operations.md ("Telemetry") are measured with their units and tags. Instruments are
/// process-wide: other test classes' hosts measure too, so this asserts what is there, not how much.
/// </summary>
public class MetricsTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task A_recorded_fact_is_counted_at_its_department_and_timed_into_the_journey_and_the_gauges_answer()
    {
        var measured = new ConcurrentQueue<(string Name, string? Unit, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PatientJourneyTelemetry.Name) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => measured.Enqueue((i.Name, i.Unit, value, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => measured.Enqueue((i.Name, i.Unit, value, Tags(tags))));
        listener.Start();

        var patientId = $"METRICS-{Guid.NewGuid():N}";
        using var response = await system.PostAsync("diagnosis", $"/patients/{patientId}/visits", new { occurredOn = "2020-01-01" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == 1, "the visit in the journey");

        string[] gauges = ["patientjourney.outbox.backlog", "patientjourney.journey.dead_letters", "patientjourney.worklist.items"];
        await Eventually.HoldsAsync(() =>
        {
            listener.RecordObservableInstruments(); // a sampled gauge answers from its last ask, and asks again in the background
            return Task.FromResult(gauges.All(name => measured.Any(m => m.Name == name)));
        }, "every gauge answered");

        Assert.Contains(measured, m => m is { Name: "patientjourney.department.events.accepted", Unit: "{event}" }
            && Equals(m.Tags[PatientJourneyTelemetry.DepartmentTag], "diagnosis") && Equals(m.Tags[PatientJourneyTelemetry.EventTypeTag], "ClinicVisitRecorded"));
        Assert.Contains(measured, m => m is { Name: "patientjourney.journey.lag", Unit: "s", Value: >= 0 } && Equals(m.Tags[PatientJourneyTelemetry.DepartmentTag], "diagnosis"));
        Assert.Contains(measured, m => m is { Name: "patientjourney.outbox.backlog", Unit: "{event}", Value: >= 0 } && m.Tags.ContainsKey(PatientJourneyTelemetry.DepartmentTag));
        Assert.Contains(measured, m => m is { Name: "patientjourney.journey.dead_letters", Unit: "{message}", Value: >= 0 });
        Assert.Contains(measured, m => m is { Name: "patientjourney.worklist.items", Unit: "{item}" } && Equals(m.Tags[PatientJourneyTelemetry.StatusTag], "overdue"));
        Assert.DoesNotContain(measured, m => m.Tags.Values.Any(v => v?.ToString()?.Contains(patientId) == true));
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, object?>();
        foreach (var (key, value) in tags) all[key] = value;
        return all;
    }
}
