using System.Diagnostics;
using System.Net;
using System.Text;
using PatientJourney.ContractSchemas;
using PatientJourney.Contracts;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace PatientJourney.IntegrationTests.Documents;

/// <summary>
/// What the departments really put on the bus, captured raw from a queue of the test's own bound to every department
/// exchange, validated byte for byte against docs/contracts by a validator we did not write (ajv, strict).
/// </summary>
public abstract class BusMessageTests(PatientJourneySystem system)
{
    protected abstract IEnumerable<Type> MessageTypes { get; }

    private static string ExchangeOf(Type type) => $"{type.Namespace}:{type.Name}";

    [Fact]
    public async Task Every_message_a_department_publishes_validates_against_the_published_contract_and_a_string_decimal_does_not()
    {
        var queue = $"capture-{Guid.NewGuid():N}";
        await using var connection = await RawBroker.ConnectAsync(system.Isolation.RabbitMq);
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true);
        // Declared as MassTransit declares them (durable fanout), so the queue is bound before anything is published.
        foreach (var exchange in ContractEvents.All.Concat(ContractBatches.All).Select(ExchangeOf))
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, "");
        }

        // The seed case, an adverse event and the navigation facts publish every event type the contract still publishes.
        await EveryEventType.PostAsync(system);

        var folder = Directory.CreateTempSubdirectory("pj-bus-messages-").FullName;
        var expected = MessageTypes.Where(t => !t.IsDefined(typeof(RetiredAttribute), false)).Select(t => t.Name).ToHashSet();
        var captured = new List<(string Type, string? UserId, string? ContentType)>();
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                {
                    var type = message.Exchange[(message.Exchange.IndexOf(':') + 1)..];
                    await File.WriteAllBytesAsync(Path.Combine(folder, $"{captured.Count:000}-{type}.json"), message.Body.ToArray());
                    captured.Add((type, message.BasicProperties.UserId, message.BasicProperties.ContentType));
                }
                return expected.IsSubsetOf(captured.Select(c => c.Type));
            }, $"a message of every type ({string.Join(", ", expected)}) in the capture queue");
            Assert.Equal(expected.Order(), captured.Select(c => c.Type).Distinct().Order());
            // The AMQP properties the AsyncAPI document states: the publishing department's broker user, the envelope's content type.
            foreach (var (type, userId, contentType) in captured)
            {
                var department = ContractEvents.DepartmentOf(MessageTypes.Single(t => t.Name == type));
                Assert.Equal(BrokerAccounts.UserOf(department), userId);
                Assert.Equal(ContractSchemaGenerator.UserOf(department), userId);
                Assert.Equal("application/vnd.masstransit+json", contentType);
            }

            var (exitCode, output) = await RunOutsideToolAsync("check-messages.mjs", folder);
            Assert.True(exitCode == 0, output);

            // The same message as MassTransit wrote it before the bus was configured: a decimal as a JSON string.
            var measured = new System.Text.RegularExpressions.Regex("\"longestDiameterMm\":\\s*([0-9.]+)");
            var broken = measured.Replace(Directory.GetFiles(folder).Select(File.ReadAllText).First(m => measured.IsMatch(m)), "\"longestDiameterMm\": \"$1\"");
            var brokenFile = Path.Combine(Directory.CreateTempSubdirectory("pj-bus-broken-").FullName, "broken.json");
            await File.WriteAllTextAsync(brokenFile, broken);
            (exitCode, output) = await RunOutsideToolAsync("check-messages.mjs", brokenFile);
            Directory.Delete(Path.GetDirectoryName(brokenFile)!, recursive: true);
            Assert.True(exitCode == 1, output);
            Assert.Contains("longestDiameterMm must be number", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A tool of tools/OutsideTools, run by node from the repository root; its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunOutsideToolAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node", [Path.Combine("tools", "OutsideTools", script), .. arguments])
        {
            WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}

/// <summary>Contract v2, the departments' default: a batch message per page of a department's outbox.</summary>
public class BatchMessageTests(PatientJourneySystem system) : BusMessageTests(system), IClassFixture<PatientJourneySystem>
{
    protected override IEnumerable<Type> MessageTypes => ContractBatches.All;
}

/// <summary>Contract v1 (Bus:Messages=Events): one message per event, of every event type.</summary>
public class EventMessageTests(PerEventMessagesSystem system) : BusMessageTests(system), IClassFixture<PerEventMessagesSystem>
{
    protected override IEnumerable<Type> MessageTypes => ContractEvents.All;
}

public class AsyncApiDocumentTests
{
    [Fact]
    public async Task The_asyncapi_document_loads_in_the_asyncapi_parser_with_no_error()
    {
        var (exitCode, output) = await BusMessageTests.RunOutsideToolAsync("check-asyncapi.mjs", "docs/contracts/asyncapi.json");
        Assert.True(exitCode == 0, output);
        Assert.Contains("asyncapi.json: 0 errors", output);
    }
}
