using System.Net;
using System.Text.Json.Nodes;
using MassTransit;
using PatientJourney.Hosting;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Interventional;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.JourneyAdmin;

namespace PatientJourney.IntegrationTests.Pipeline;

/// <summary>Contract v2 on the bus: a department's events forwarded together as one batch message.</summary>
public class EventBatchMessageTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private static ClinicVisitRecorded Visit(string patientId, int day) =>
        new() { EventId = Guid.NewGuid(), PatientId = patientId, OccurredOn = new DateOnly(2021, 3, day), Ecog = 1, RecordedAt = DateTimeOffset.UtcNow };

    [Fact]
    public async Task A_batch_from_its_department_is_recorded_whole_and_a_redelivered_batch_changes_nothing()
    {
        var batch = new DiagnosisEventBatch { Events = [Visit("BATCH-1", 1), Visit("BATCH-1", 2), Visit("BATCH-2", 3)] };
        var bus = await DepartmentBus.StartAsync(system.Isolation, Departments.Diagnosis);
        try
        {
            await bus.Publish(batch);
            await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("BATCH-1") == 2 && await system.JourneyEntryCountAsync("BATCH-2") == 1,
                "the batch's three visits in the journey");
            await bus.Publish(batch);
            await Task.Delay(500);
        }
        finally
        {
            await bus.StopAsync();
        }
        Assert.Equal(2, await system.JourneyEntryCountAsync("BATCH-1"));
        Assert.Equal(1, await system.JourneyEntryCountAsync("BATCH-2"));
    }

    [Fact]
    public async Task A_batch_holding_one_invalid_event_is_dead_lettered_and_none_of_it_recorded()
    {
        var batch = new DiagnosisEventBatch { Events = [Visit("BATCH-3", 1), Visit("BATCH-3", 2) with { SchemaVersion = 2 }] };
        var messageId = Guid.NewGuid();
        var bus = await DepartmentBus.StartAsync(system.Isolation, Departments.Diagnosis);
        try
        {
            await bus.Publish(batch, Pipe.Execute<PublishContext>(c => c.MessageId = messageId));
        }
        finally
        {
            await bus.StopAsync();
        }

        var letter = await DeadLetterAsync(messageId);
        Assert.Contains("schemaVersion 2", letter.Reason);
        Assert.Equal(HttpStatusCode.NotFound, (await system.JourneyClient.GetAsync("/patients/BATCH-3/journey")).StatusCode);
    }

    [Fact]
    public async Task A_batch_forged_for_another_department_is_dead_lettered_and_none_of_it_recorded()
    {
        // The chemotherapy department's broker user sends an interventional batch through its own batch exchange,
        // stamped with its own (broker-validated) user_id.
        var chemo = BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, Departments.Chemotherapy);
        var forged = new InterventionalEventBatch
        {
            Events = [new TacePerformed { EventId = Guid.NewGuid(), PatientId = "BATCH-4", OccurredOn = new DateOnly(2011, 7, 12), Target = "liver", Drug = "doxorubicin", DoseMg = 150 }],
        };
        var messageId = Guid.NewGuid();
        await PublishRawAsync(chemo, "PatientJourney.Contracts.Chemotherapy:ChemotherapyEventBatch",
            RawBroker.Envelope(messageId, "PatientJourney.Contracts.Interventional:InterventionalEventBatch", forged), messageId);

        var letter = await DeadLetterAsync(messageId);
        Assert.Equal(chemo.Username, letter.Sender);
        Assert.Contains("interventional", letter.Reason);
        Assert.Equal(HttpStatusCode.NotFound, (await system.JourneyClient.GetAsync("/patients/BATCH-4/journey")).StatusCode);
    }

    [Fact]
    public async Task A_batch_smuggling_another_departments_event_type_is_dead_lettered_and_none_of_it_recorded()
    {
        // A diagnosis batch whose second entry calls itself a TACE: its own department's list reads only its own events.
        var diagnosis = BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, Departments.Diagnosis);
        var batch = System.Text.Json.JsonSerializer.SerializeToNode(new DiagnosisEventBatch { Events = [Visit("BATCH-5", 1), Visit("BATCH-5", 2)] }, JsonDefaults.Options)!;
        batch["events"]![1]!["type"] = "TacePerformed";
        var messageId = Guid.NewGuid();
        await PublishRawAsync(diagnosis, "PatientJourney.Contracts.Diagnosis:DiagnosisEventBatch",
            RawBroker.Envelope(messageId, "PatientJourney.Contracts.Diagnosis:DiagnosisEventBatch", batch), messageId);

        await DeadLetterAsync(messageId);
        Assert.Equal(HttpStatusCode.NotFound, (await system.JourneyClient.GetAsync("/patients/BATCH-5/journey")).StatusCode);
    }

    [Theory]
    [InlineData("""{ "events": [] }""")]
    [InlineData("""{ "events": null }""")]
    [InlineData("""{ }""")]
    public async Task A_batch_without_events_is_dead_lettered(string message)
    {
        var diagnosis = BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, Departments.Diagnosis);
        var messageId = Guid.NewGuid();
        await PublishRawAsync(diagnosis, "PatientJourney.Contracts.Diagnosis:DiagnosisEventBatch",
            RawBroker.Envelope(messageId, "PatientJourney.Contracts.Diagnosis:DiagnosisEventBatch", JsonNode.Parse(message)!), messageId);

        await DeadLetterAsync(messageId);
    }

    private static async Task PublishRawAsync(RabbitMqSettings account, string exchange, byte[] body, Guid messageId)
    {
        await using var connection = await RawBroker.ConnectAsync(account);
        await using var channel = await connection.CreateChannelAsync(new RabbitMQ.Client.CreateChannelOptions(true, true));
        await RawBroker.PublishAsync(channel, exchange, body, account.Username, messageId.ToString());
    }

    private async Task<DeadLetter> DeadLetterAsync(Guid messageId)
    {
        await using var deadLetters = new DeadLetters(BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, BrokerAccounts.Redrive));
        DeadLetter? letter = null;
        await Eventually.HoldsAsync(async () => (letter = (await deadLetters.ListAsync()).FirstOrDefault(l => l.MessageId == messageId.ToString())) is not null,
            $"message {messageId} in the error queue");
        return letter!;
    }
}
