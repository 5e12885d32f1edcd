using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Pipeline;

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
        var counter = new ConsumedCounter();
        using var _ = system.Journey.Services.GetRequiredService<IBus>().ConnectConsumeObserver(counter);
        var diagnosis = await DepartmentBus.StartAsync(system.Isolation, Departments.Diagnosis);
        var visit = new ClinicVisitRecorded
        {
            EventId = Guid.CreateVersion7(), PatientId = "DUP-1", OccurredOn = new DateOnly(2020, 5, 1), RecordedAt = DateTimeOffset.UtcNow, Ecog = 1,
        };

        try
        {
            for (var i = 0; i < 3; i++) await diagnosis.Publish(visit);
        }
        finally
        {
            await diagnosis.StopAsync();
        }

        await Eventually.HoldsAsync(() => Task.FromResult(counter.Consumed.GetValueOrDefault(visit.EventId) == 3), "three deliveries consumed");
        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients/DUP-1/events"))!;
        var held = Assert.Single(events)!;
        Assert.Equal(visit.EventId.ToString(), (string)held["eventId"]!);
        Assert.Equal(1, await system.JourneyEntryCountAsync("DUP-1"));
    }
}
