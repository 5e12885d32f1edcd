using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.IntegrationTests.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace PatientJourney.IntegrationTests.Documents;

/// <summary>
/// A read-only outside consumer (journey-admin broker-setup --reader): on the real broker, beside the running system of
/// the test's own vhost, it reads the departments' events through a queue of its own and can touch nothing else.
/// </summary>
public class OutsideReaderTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>, IAsyncLifetime
{
    // Users are global to the broker: a reader of this test's own, deleted afterwards, never one another run could use.
    private readonly string _name = $"test-{Guid.NewGuid():N}"[..17];
    private readonly string _password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    private RabbitMqSettings Reader => system.Isolation.RabbitMq with { Username = BrokerAccounts.UserOf("reader-" + _name), Password = _password };
    private string Queue => BrokerAccounts.ReaderQueuePrefix + _name;

    public async Task InitializeAsync()
    {
        using var http = Isolation.ManagementApi();
        await BrokerAccounts.ApplyAsync(http, system.Isolation.Name, BrokerAccounts.Reader(_name), _password);
    }

    public async Task DisposeAsync()
    {
        using var http = Isolation.ManagementApi();
        await http.DeleteAsync($"users/{Uri.EscapeDataString(Reader.Username)}");
    }

    private static StringContent Visit => new("""{"occurredOn":"2012-07-24"}""", System.Text.Encoding.UTF8, "application/json");

    /// <summary>The diagnosis department's exchanges on this vhost, as its outbox declared them.</summary>
    private async Task<List<string>> DiagnosisExchangesAsync()
    {
        using var http = Isolation.ManagementApi();
        var exchanges = await http.GetFromJsonAsync<JsonArray>($"exchanges/{Uri.EscapeDataString(system.Isolation.Name)}?columns=name");
        return exchanges!.Select(e => (string)e!["name"]!).Where(n => n.StartsWith("PatientJourney.Contracts.Diagnosis:", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public async Task A_reader_binds_its_own_queue_to_a_department_exchange_and_receives_the_departments_events()
    {
        // The first visit makes the department declare its exchanges (an outside reader binds to what exists).
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await system.Departments["diagnosis"].PostAsync("/patients/RDR-1/visits", Visit)).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("RDR-1") == 1, "the first visit in the journey");
        var exchanges = await DiagnosisExchangesAsync();
        Assert.NotEmpty(exchanges);

        await using var connection = await RawBroker.ConnectAsync(Reader);
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
        foreach (var exchange in exchanges) await channel.QueueBindAsync(Queue, exchange, "");

        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await system.Departments["diagnosis"].PostAsync("/patients/RDR-2/visits", Visit)).StatusCode);
        string? received = null;
        await Eventually.HoldsAsync(async () =>
        {
            var message = await channel.BasicGetAsync(Queue, autoAck: true);
            if (message is not null) received = System.Text.Encoding.UTF8.GetString(message.Body.Span);
            return received?.Contains("RDR-2", StringComparison.Ordinal) == true;
        }, "the second visit in the reader's queue");
        Assert.DoesNotContain("RDR-1", received); // bound after the first: it sees what comes next, no history
    }

    [Fact]
    public async Task A_reader_cannot_bind_or_read_the_journeys_queue_nor_publish_to_a_department_exchange_nor_own_another_queue()
    {
        await using var connection = await RawBroker.ConnectAsync(Reader);

        await AssertAccessRefusedAsync(connection, c => c.QueueBindAsync(Queue, BrokerAccounts.JourneyQueue, ""), "bind its queue to the journey's exchange",
            c => c.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false));
        await AssertAccessRefusedAsync(connection, c => c.BasicConsumeAsync(BrokerAccounts.JourneyQueue, autoAck: false, new AsyncEventingBasicConsumer(c)), "read journey-events");
        await AssertAccessRefusedAsync(connection, c => c.BasicGetAsync(BrokerAccounts.JourneyQueue + "_error", autoAck: false), "read the journey's dead letters");
        await AssertAccessRefusedAsync(connection, c => c.QueueDeclareAsync("analytics-copy", durable: true, exclusive: false, autoDelete: false), "own a queue not named reader-<name>");
        await AssertAccessRefusedAsync(connection, c => c.QueueDeclareAsync($"{Queue}x", durable: true, exclusive: false, autoDelete: false), "own another reader's queue");

        // A department exchange exists once the department has published.
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await system.Departments["diagnosis"].PostAsync("/patients/RDR-3/visits", Visit)).StatusCode);
        await Eventually.HoldsAsync(async () => (await DiagnosisExchangesAsync()).Count > 0, "the diagnosis exchanges");
        Assert.Contains("ACCESS_REFUSED", await RawBroker.PublishFailureAsync(Reader, (await DiagnosisExchangesAsync())[0], Reader.Username));
    }

    private static async Task AssertAccessRefusedAsync(IConnection connection, Func<IChannel, Task> attempt, string what, Func<IChannel, Task>? before = null)
    {
        // A refusal closes the channel: one channel per attempt.
        await using var channel = await connection.CreateChannelAsync();
        if (before is not null) await before(channel);
        var refusal = await Assert.ThrowsAsync<OperationInterruptedException>(() => attempt(channel));
        Assert.True(refusal.ShutdownReason?.ReplyCode == 403, $"{what}: {refusal.ShutdownReason?.ReplyText}");
    }
}
