using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts;
using PatientJourney.Hosting.Security;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Recording;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.IntegrationTests.ScaleOut;

/// <summary>Several journey instances on one store and one quorum queue, as `./run.sh --cluster` runs three.</summary>
public class JourneyInstancesTests : IAsyncLifetime
{
    private Isolation _isolation = null!;
    private readonly List<ServiceHost<JourneyService>> _journeys = [];

    public async Task InitializeAsync()
    {
        _isolation = await Isolation.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            var journey = new ServiceHost<JourneyService>(_isolation);
            _journeys.Add(journey);
            var client = journey.CreateClient();
            await Eventually.HoldsAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, $"journey {i} ready");
            await Eventually.HoldsAsync(() => Task.FromResult(journey.BusIsReady()), $"journey {i} bus ready");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var journey in _journeys) await journey.DisposeAsync();
        await _isolation.DisposeAsync();
    }

    private sealed class Consumed : IConsumeObserver
    {
        public int Messages;
        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;
        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            Interlocked.Increment(ref Messages);
            return Task.CompletedTask;
        }
        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    [Fact]
    public async Task Three_instances_share_the_queue_and_hold_every_event_once_with_each_journey_in_clinical_order()
    {
        var consumed = _journeys.Select(_ => new Consumed()).ToList();
        var observers = _journeys.Select((j, i) => j.Services.GetRequiredService<IBus>().ConnectConsumeObserver(consumed[i])).ToList();
        // Forty patients, ten visits each, published in a shuffled order and every one of them twice (a redelivery).
        const int Patients = 40, Visits = 10;
        var visits = Enumerable.Range(0, Patients).SelectMany(p => Enumerable.Range(0, Visits).Select(v => new ClinicVisitRecorded
        {
            EventId = Guid.CreateVersion7(), PatientId = $"SCALE-{p:D2}", OccurredOn = new DateOnly(2020, 1, 1).AddDays(7 * v), Ecog = v % 3, RecordedAt = DateTimeOffset.UtcNow,
        })).ToList();
        var random = new Random(32);
        await DepartmentBus.PublishAsync(_isolation, Departments.Diagnosis, [.. visits.Concat(visits).OrderBy(_ => random.Next())]);

        var journey = _journeys[0].CreateClient();
        await Eventually.HoldsAsync(async () =>
        {
            for (var p = 0; p < Patients; p++)
                if ((await journey.GetFromJsonAsync<JsonArray>($"/patients/SCALE-{p:D2}/events"))!.Count != Visits) return false;
            return true;
        }, "every visit in the journey", TimeSpan.FromSeconds(60));
        foreach (var observer in observers) observer.Dispose();

        // Every instance took a share of the queue; each event is held once, whichever instance took which copy.
        Assert.All(consumed, c => Assert.True(c.Messages > 0, "an instance consumed nothing"));
        for (var p = 0; p < Patients; p++)
        {
            var events = (await journey.GetFromJsonAsync<JsonArray>($"/patients/SCALE-{p:D2}/events"))!;
            Assert.Equal(visits.Where(v => v.PatientId == $"SCALE-{p:D2}").Select(v => v.EventId).Order(), events.Select(e => Guid.Parse((string)e!["eventId"]!)).Order());
            var entries = (await journey.GetFromJsonAsync<JsonObject>($"/patients/SCALE-{p:D2}/journey"))!["entries"]!.AsArray();
            var dates = entries.Select(e => (string)e!["occurredOn"]!).ToList();
            Assert.Equal(dates.Order(StringComparer.Ordinal), dates);
        }

        // What three instances wrote side by side equals a rebuild from the events, and every hash chain holds.
        var live = await ReadModelSnapshot.TakeAsync(_isolation.ConnectionString);
        var store = _journeys[0].Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(PatientJourneyView));
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(WorklistEntry));
        await JourneyRebuild.RebuildAllAsync(store);
        Assert.Equal(live, await ReadModelSnapshot.TakeAsync(_isolation.ConnectionString));
        using var auditor = _journeys[1].CreateClient();
        for (var p = 0; p < Patients; p++)
            Assert.True((bool)(await auditor.GetFromJsonAsync<JsonObject>($"/patients/SCALE-{p:D2}/verify"))!["intact"]!, $"SCALE-{p:D2}'s chain");
    }

    [Fact]
    public async Task A_page_watching_one_instance_hears_what_another_instance_recorded()
    {
        using var watcher = _journeys[2].CreateClient(TestTokens.For(Roles.Clinician));
        watcher.Timeout = TimeSpan.FromSeconds(30);
        using var response = await watcher.GetAsync("/patients/SCALE-LIVE/changes", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: watching", await reader.ReadLineAsync());

        // Recorded by the first instance's own recorder: the third never handled the message.
        await _journeys[0].Services.GetRequiredService<JourneyRecorder>().RecordAsync(new ClinicVisitRecorded
        {
            EventId = Guid.CreateVersion7(), PatientId = "SCALE-LIVE", OccurredOn = new DateOnly(2020, 1, 1), RecordedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        async Task<string> Line() => await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the stream ended");
        while (await Line() != "event: recorded") { }
        Assert.Equal("""data: {"patientId":"SCALE-LIVE","version":1}""", await Line());
    }
}
