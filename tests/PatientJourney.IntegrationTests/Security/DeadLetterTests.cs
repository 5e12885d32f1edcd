using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.JourneyAdmin;

namespace PatientJourney.IntegrationTests.Security;

public class DeadLetterTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private DeadLetters Open() => new(BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, BrokerAccounts.Redrive));

    private async Task AlterAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(system.Isolation.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_message_the_journey_cannot_record_goes_to_the_error_queue_with_its_reason_and_is_recorded_when_re_driven_after_the_fix()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", "/patients/POISON-0/visits", new { occurredOn = "2020-01-01" })).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("POISON-0") == 1, "the journey's store in use");

        // Break the journey's store (as a bad migration would): every attempt fails until someone fixes it.
        await AlterAsync("alter table journey.mt_streams rename to mt_streams_broken");
        Guid eventId;
        await using var letters = Open();
        try
        {
            var accepted = await system.PostAsync("diagnosis", "/patients/POISON-1/visits", new { occurredOn = "2020-02-01" });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            eventId = Guid.Parse((string)(await accepted.Content.ReadFromJsonAsync<JsonObject>())!["eventId"]!);
            DeadLetter? letter = null;
            await Eventually.HoldsAsync(async () => (letter = (await letters.ListAsync()).SingleOrDefault(l => l.MessageId == eventId.ToString())) is not null,
                "the visit in the error queue after its retries");
            Assert.Contains("mt_streams", letter!.Reason);
            Assert.Equal(BrokerAccounts.UserOf("diagnosis"), letter.Sender);
            Assert.Contains("DiagnosisEventBatch", letter.MessageType); // contract v2: a batch, here of one event, under its id
            // Listing takes nothing off the queue.
            Assert.Single(await letters.ListAsync(), l => l.MessageId == eventId.ToString());
        }
        finally
        {
            await AlterAsync("alter table journey.mt_streams_broken rename to mt_streams");
        }

        Assert.Equal(0, await system.JourneyEntryCountAsync("POISON-1"));
        Assert.Equal(1, await letters.RedriveAsync([eventId.ToString()]));
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("POISON-1") == 1, "the re-driven visit in the journey");
        Assert.DoesNotContain(await letters.ListAsync(), l => l.MessageId == eventId.ToString());
        var held = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients/POISON-1/events"))!;
        Assert.Equal(eventId.ToString(), (string)Assert.Single(held)!["eventId"]!);
    }

    [Fact]
    public async Task Dead_letters_are_listed_again_after_the_broker_closed_the_tools_connection()
    {
        // RabbitMQ closes the whole connection on a connection-level error (the error queue's INTERNAL_ERROR "noproc"
        // right after it is declared): the next look must open a new connection, not fail on the closed one.
        await using var letters = Open();
        await letters.ListAsync();
        using var management = Isolation.ManagementApi();
        var vhost = Uri.EscapeDataString(system.Isolation.RabbitMq.VirtualHost);
        async Task<string?> ToolConnectionAsync() => (await management.GetFromJsonAsync<JsonArray>($"/api/vhosts/{vhost}/connections"))!
            .Where(c => (string?)c!["client_properties"]?["connection_name"] == DeadLetters.ConnectionName)
            .Select(c => (string?)c!["name"]).FirstOrDefault();
        string? name = null;
        await Eventually.HoldsAsync(async () => (name = await ToolConnectionAsync()) is not null, "the tool's connection listed by the broker");
        using (var closed = await management.DeleteAsync($"/api/connections/{Uri.EscapeDataString(name!)}"))
            Assert.True(closed.IsSuccessStatusCode, $"closing the connection answered {closed.StatusCode}");
        await Eventually.HoldsAsync(async () => await ToolConnectionAsync() is null, "the connection gone");

        Assert.Empty(await letters.ListAsync());
    }
}
