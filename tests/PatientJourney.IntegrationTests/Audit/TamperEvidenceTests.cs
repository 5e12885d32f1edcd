using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Audit;

public class TamperEvidenceTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private async Task<JsonObject> Verify(string patientId) =>
        (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patientId}/verify"))!;

    private async Task RecordVisitsAsync(string patientId, int count)
    {
        for (var i = 0; i < count; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", $"/patients/{patientId}/visits", new { occurredOn = new DateOnly(2020, 1, 1).AddMonths(i), ecog = 1 })).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == count, "visits in the journey");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(system.Isolation.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task An_event_altered_with_sql_is_caught_and_named()
    {
        await RecordVisitsAsync("TAMPER-1", 3);
        Assert.True((bool)(await Verify("TAMPER-1"))["intact"]!);

        await ExecuteAsync("update journey.mt_events set data = jsonb_set(data, '{ecog}', '4') where stream_id = 'TAMPER-1' and version = 2");

        var verification = await Verify("TAMPER-1");
        Assert.False((bool)verification["intact"]!);
        Assert.Equal(2, (int)verification["firstAlteredVersion"]!);
        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients/TAMPER-1/events"))!;
        Assert.Equal((string)events.Single(e => (int)e!["journeyVersion"]! == 2)!["eventId"]!, (string)verification["firstAlteredEventId"]!);
    }

    [Fact]
    public async Task A_deleted_event_is_caught()
    {
        await RecordVisitsAsync("TAMPER-2", 3);
        await ExecuteAsync("delete from journey.mt_events where stream_id = 'TAMPER-2' and version = 3");
        var verification = await Verify("TAMPER-2");
        Assert.False((bool)verification["intact"]!);
        Assert.Contains("deleted", (string)verification["reason"]!);
    }
}
