using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests;

public class JourneyDeduplicationTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private sealed class ConsumedCounter : IConsumeObserver
    {
        public readonly ConcurrentDictionary<Guid, int> Consumed = new();
        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;
        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is ClinicVisitRecorded visit) Consumed.AddOrUpdate(visit.EventId, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    [Fact]
    public async Task The_same_event_delivered_three_times_is_held_once()
    {
        var bus = system.Journey.Services.GetRequiredService<IBus>();
        var counter = new ConsumedCounter();
        using var _ = bus.ConnectConsumeObserver(counter);
        var visit = new ClinicVisitRecorded
        {
            EventId = Guid.CreateVersion7(), PatientId = "DUP-1", OccurredOn = new DateOnly(2020, 5, 1), RecordedAt = DateTimeOffset.UtcNow, Ecog = 1,
        };

        for (var i = 0; i < 3; i++) await bus.Publish(visit);

        await Eventually.HoldsAsync(() => Task.FromResult(counter.Consumed.GetValueOrDefault(visit.EventId) == 3), "three deliveries consumed");
        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients/DUP-1/events"))!;
        var held = Assert.Single(events)!;
        Assert.Equal(visit.EventId.ToString(), (string)held["eventId"]!);
        Assert.Equal(1, await system.JourneyEntryCountAsync("DUP-1"));
    }
}
