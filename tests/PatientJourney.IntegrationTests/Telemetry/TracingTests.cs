using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Hosting.Telemetry;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey.Changes;
using PatientJourney.Journey.Recording;

namespace PatientJourney.IntegrationTests.Telemetry;

/// <summary>
/// One fact followed from the department's door to the journey's commit in one trace, across the department's store
/// (the trace context kept with the event) and the broker; and nothing of it carries the patient's id.
/// </summary>
public class TracingTests(TelemetrySystem system) : IClassFixture<TelemetrySystem>
{
    [Fact]
    public async Task A_recorded_fact_is_one_trace_from_the_departments_request_to_the_journeys_commit_and_the_live_pages()
    {
        var (patientId, trace) = await RecordTracedVisitAsync();

        var server = await SpanAsync(trace, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore", "the department's request");
        var append = await SpanAsync(trace, s => s.DisplayName == "diagnosis append", "the store append");
        var publish = await SpanAsync(trace, s => s.DisplayName == ClinicalEventPublisher.SpanName, "the outbox publish");
        var consume = await SpanAsync(trace, s => s.Kind == ActivityKind.Consumer && s.Source.Name == "MassTransit", "the journey's consume");
        var commit = await SpanAsync(trace, s => s.DisplayName == JourneyRecorder.CommitSpanName, "the journey's commit");
        var told = await SpanAsync(trace, s => s.DisplayName == JourneyChangeListener.SpanName, "the live pages told");

        Assert.Equal("POST /patients/{patientId}/visits", server.DisplayName); // the route's template, not its path
        var spans = SpansOf(trace).ToDictionary(s => s.SpanId);
        Assert.True(Descends(append, server, spans), "the append is under the request");
        Assert.True(Descends(publish, append, spans), "the publish is under the append");
        Assert.True(Descends(consume, publish, spans), "the consume is under the publish");
        Assert.True(Descends(commit, consume, spans), "the commit is under the consume");
        Assert.True(Descends(told, commit, spans), "the live pages are told under the commit (its NOTIFY carries the trace)");
        Assert.Equal(append.SpanId, publish.ParentSpanId); // restored from the event's stored context
        Assert.DoesNotContain(patientId, server.DisplayName);
    }

    [Fact]
    public async Task No_span_attribute_or_log_record_of_a_recorded_fact_holds_the_patient_id()
    {
        var (patientId, trace) = await RecordTracedVisitAsync();
        await SpanAsync(trace, s => s.DisplayName == JourneyRecorder.CommitSpanName, "the journey's commit");

        var spans = SpansOf(trace).ToList();
        Assert.True(spans.Count >= 5, $"only {spans.Count} spans in the trace");
        foreach (var span in spans)
        {
            var texts = span.TagObjects.Select(t => $"{t.Key}={t.Value}")
                .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}: {t.Key}={t.Value}")))
                .Concat(span.Baggage.Select(b => $"{b.Key}={b.Value}"))
                .Append(span.DisplayName).Append(span.StatusDescription ?? "");
            Assert.DoesNotContain(texts, t => t.Contains(patientId, StringComparison.OrdinalIgnoreCase));
        }

        var logs = system.Logs.Where(l => l.TraceId == trace).ToList();
        Assert.NotEmpty(logs); // the journey's "Recorded ..." at least: the logs do carry the trace
        Assert.DoesNotContain(logs, l => l.Text.Contains(patientId, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Posts a visit under a trace of the test's own (its traceparent on the request) and waits for the journey to hold it.</summary>
    private async Task<(string PatientId, ActivityTraceId Trace)> RecordTracedVisitAsync()
    {
        var patientId = $"OTEL-{Guid.NewGuid():N}";
        var trace = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/patients/{patientId}/visits") { Content = JsonContent.Create(new { occurredOn = "2020-01-01" }) };
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await system.Departments["diagnosis"].SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == 1, "the visit in the journey");
        return (patientId, trace);
    }

    private IEnumerable<Activity> SpansOf(ActivityTraceId trace) => system.Spans.Where(s => s.TraceId == trace).DistinctBy(s => s.SpanId);

    private async Task<Activity> SpanAsync(ActivityTraceId trace, Func<Activity, bool> which, string what)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(SpansOf(trace).Any(which)), what);
        return SpansOf(trace).First(which);
    }

    private static bool Descends(Activity span, Activity ancestor, IReadOnlyDictionary<ActivitySpanId, Activity> spans)
    {
        for (var parent = span.ParentSpanId; parent != default; parent = spans.TryGetValue(parent, out var up) ? up.ParentSpanId : default)
            if (parent == ancestor.SpanId) return true;
        return false;
    }
}
