using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Contracts;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey;
using PatientJourney.JourneyAdmin;

namespace PatientJourney.IntegrationTests.Security;

/// <summary>
/// The journey's message handler against malformed envelopes, sent by a department's own broker user (the most a
/// compromised or buggy department can do): nothing crashes, nothing is recorded, and every message ends up in the
/// error or skipped queue where an operator sees it.
/// </summary>
public class JourneyMessageFuzzTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private const int Messages = 300;
    private const string Exchange = "PatientJourney.Contracts.Diagnosis:ClinicVisitRecorded";
    private const string VisitType = "PatientJourney.Contracts.Diagnosis:ClinicVisitRecorded";
    private const string BatchType = "PatientJourney.Contracts.Diagnosis:DiagnosisEventBatch";

    [Fact]
    public async Task Three_hundred_malformed_envelopes_are_dead_lettered_or_skipped_and_nothing_is_recorded()
    {
        var diagnosis = BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, Departments.Diagnosis);
        var random = new Random(6);
        await using (var connection = await RawBroker.ConnectAsync(diagnosis))
        await using (var channel = await connection.CreateChannelAsync(new RabbitMQ.Client.CreateChannelOptions(true, true)))
        {
            for (var i = 0; i < Messages; i++)
            {
                var (body, contentType, userId) = Malformed(i, random, diagnosis.Username);
                await RawBroker.PublishAsync(channel, Exchange, body, userId, contentType: contentType);
            }
        }

        // Counted with the test's admin user, exactly (AMQP), not from the management API's sampled statistics.
        await using var admin = await RawBroker.ConnectAsync(system.Isolation.RabbitMq);
        uint error = 0, skipped = 0;
        try
        {
            await Eventually.HoldsAsync(async () =>
                (error = await CountAsync(admin, DeadLetters.ErrorQueue)) + (skipped = await CountAsync(admin, JourneyService.QueueName + "_skipped")) == Messages,
                "every malformed message dead-lettered or skipped", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await using var letters = new DeadLetters(BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, BrokerAccounts.Redrive));
            var kinds = (await letters.ListAsync()).GroupBy(l => l.Reason?[..Math.Min(60, l.Reason.Length)]).Select(g => $"{g.Count()}x {g.Key}");
            Assert.Fail($"{error} dead-lettered and {skipped} skipped of {Messages}, journey-events holds {await CountAsync(admin, JourneyService.QueueName)}, patients {(await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients"))!.Count}:\n{string.Join("\n", kinds)}");
        }

        Assert.Equal(HttpStatusCode.OK, (await system.JourneyClient.GetAsync("/health/ready")).StatusCode);
        Assert.Empty((await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients"))!);
        // And the journey still records a proper event.
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", "/patients/MSGFUZZ-OK/visits", new { occurredOn = "2020-01-01" })).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("MSGFUZZ-OK") == 1, "a proper visit after the fuzz");
    }

    private static async Task<uint> CountAsync(RabbitMQ.Client.IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // MassTransit declares it with the first message it puts there
        }
    }

    private static (byte[] Body, string ContentType, string? UserId) Malformed(int i, Random random, string user)
    {
        const string mt = "application/vnd.masstransit+json";
        var id = Guid.NewGuid();
        var visit = new JsonObject { ["eventId"] = id.ToString(), ["patientId"] = $"MSGFUZZ-{i}", ["occurredOn"] = "2020-01-01", ["schemaVersion"] = 1 };
        // Every other dozen goes as contract v2: the bad visit in a batch beside a proper one, which must not be recorded either.
        var inBatch = i % 24 >= 12;
        byte[] Envelope(JsonNode? message, string type = VisitType) => Encoding.UTF8.GetBytes(new JsonObject
        {
            ["messageId"] = id.ToString(),
            ["messageType"] = new JsonArray($"urn:message:{(inBatch ? BatchType : type)}"),
            ["message"] = inBatch ? Batch(message, type) : message,
        }.ToJsonString());
        JsonObject Batch(JsonNode? message, string type)
        {
            var proper = (JsonObject)visit.DeepClone();
            (proper["eventId"], proper["patientId"], proper["type"]) = (Guid.NewGuid().ToString(), $"MSGFUZZ-{i}-BESIDE", "ClinicVisitRecorded");
            if (message is JsonObject bad) bad["type"] = type.Split(':')[1];
            return new JsonObject { ["events"] = new JsonArray(proper, message) };
        }
        JsonObject With(string field, JsonNode? value)
        {
            var copy = (JsonObject)visit.DeepClone();
            copy[field] = value;
            return copy;
        }
        return (i % 12) switch
        {
            0 => (RandomBytes(random), mt, user),
            1 => ("{\"messageId\":"u8.ToArray(), mt, user),
            2 => ("[1,2,3]"u8.ToArray(), mt, user),
            3 => (Encoding.UTF8.GetBytes(new JsonObject { ["messageId"] = id.ToString(), ["messageType"] = new JsonArray($"urn:message:{VisitType}") }.ToJsonString()), mt, user),
            4 => (Envelope(visit, "PatientJourney.Contracts.Diagnosis:NoSuchEvent"), mt, user),
            5 => (Envelope(With("occurredOn", "yesterday")), mt, user),
            6 => (Envelope(With("patientId", "../../etc/passwd")), mt, user),
            7 => (Envelope(With("eventId", Guid.Empty.ToString())), mt, user),
            8 => (Envelope(With("schemaVersion", 99)), mt, user),
            9 => (Envelope(With("occurredOn", new JsonObject { ["nested"] = Deep(200) })), mt, user),
            10 => (Envelope(visit), mt, null), // no sender
            _ => (Encoding.UTF8.GetBytes($"patientId=MSGFUZZ-{i}&occurredOn=2020-01-01"), "text/plain", user),
        };
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 2048)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++) node = new JsonArray(node);
        return node;
    }
}
