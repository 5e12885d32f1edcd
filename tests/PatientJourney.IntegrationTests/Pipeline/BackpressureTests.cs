using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Diagnosis;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey;
using RabbitMQ.Client;

namespace PatientJourney.IntegrationTests.Pipeline;

public class BackpressureTests
{
    private const string PatientId = "BACKPRESSURE-1";
    private const int Visits = 60;

    [Fact]
    public async Task While_the_journey_is_behind_the_outbox_waits_and_the_department_slows_down_without_refusing_a_fact()
    {
        await using var isolation = await Isolation.CreateAsync();
        // The journey's queue exists (a journey declared it); a consumer holds it that takes one message and never
        // acknowledges it: a journey that is there and far behind.
        await using (var first = new ServiceHost<JourneyService>(isolation))
        {
            first.CreateClient().Dispose();
            await Eventually.HoldsAsync(() => Task.FromResult(first.BusIsReady()), "the first journey's bus ready");
        }
        await using var broker = await RawBroker.ConnectAsync(isolation.RabbitMq);
        await using var stuck = await broker.CreateChannelAsync();
        await stuck.BasicQosAsync(0, 1, false);
        await stuck.BasicConsumeAsync(JourneyService.QueueName, autoAck: false, new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(stuck));

        await using var diagnosis = new ServiceHost<DiagnosisService>(isolation, settings: new Dictionary<string, string?>
        {
            ["Outbox:JourneyMaxReady"] = "2",
            ["Outbox:MaxBacklog"] = "10",
            ["Outbox:MaxHoldMs"] = "200",
            // A page per commit, as without the gather: the bound of 2 messages is then reached within the 60 visits.
            ["Outbox:GatherMs"] = "0",
        });
        using var client = diagnosis.CreateClient();
        await Eventually.HoldsAsync(() => Task.FromResult(diagnosis.BusIsReady()), "diagnosis bus ready");
        var backlog = diagnosis.Services.GetRequiredService<OutboxBacklog>();

        using (var registered = await client.PostAsJsonAsync("/patients", new { patientId = PatientId, sex = "female", birthDate = "1960-05-01" }))
            Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        // The outbox forwards (it took its lock: HotCold) before the visits come, so that it can fall behind them.
        await Eventually.HoldsAsync(() => Task.FromResult(backlog.ConfirmedThrough > 0), "the registration forwarded");
        for (var i = 0; i < Visits; i++)
        {
            using var visit = await client.PostAsJsonAsync($"/patients/{PatientId}/visits", new { occurredOn = new DateOnly(2021, 1, 1).AddDays(i), ecog = 1 });
            Assert.Equal(HttpStatusCode.Accepted, visit.StatusCode); // slowed, never refused
        }

        Assert.True(backlog.Backlog > backlog.MaxBacklog, $"the outbox waits for the journey ({backlog.Backlog} events not yet forwarded)");
        Assert.True(backlog.HeldRequests > 0, "requests were held at the door while the journey was behind");
        await using (var channel = await broker.CreateChannelAsync())
        {
            var waiting = (await channel.QueueDeclarePassiveAsync(JourneyService.QueueName)).MessageCount;
            // About the bound, not the 61 events: the rest waits in the department's store. Over the bound of 2 by what
            // is published while an answer of the queue is fresh (10 ms) and what was in flight when it was asked.
            Assert.InRange(waiting, 1u, 12u);
        }
        await stuck.CloseAsync();

        // A journey again: everything the department accepted arrives, once.
        await using var journey = new ServiceHost<JourneyService>(isolation);
        using var journeyClient = journey.CreateClient();
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await journeyClient.GetAsync($"/patients/{PatientId}/journey");
            return response.IsSuccessStatusCode
                && (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["entries"]!.AsArray().Count == Visits + 1;
        }, "every accepted fact in the journey", TimeSpan.FromSeconds(60));
        await Eventually.HoldsAsync(() => Task.FromResult(backlog.Backlog == 0), "the outbox caught up");
        Assert.False(backlog.IsFull);
    }
}
