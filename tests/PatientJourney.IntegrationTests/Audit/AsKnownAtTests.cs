using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Audit;

public class AsKnownAtTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private const string P = "KNOWN-1";

    [Fact]
    public async Task Journey_surveillance_and_events_as_known_at_a_moment_leave_out_a_report_recorded_later()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", $"/patients/{P}/surveillance-plans", new { startsOn = "2012-01-24", protocol = "ct-q3m-visits-q1m" })).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(P) == 1, "plan in the journey");
        var before = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));

        // The April CT's report is typed in afterwards.
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("imaging", $"/patients/{P}/ct", new { performedOn = "2012-04-24", region = "chest", targetLesions = Array.Empty<object>() })).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(P) == 2, "late CT in the journey");

        async Task<JsonNode> Get(string path) => (await system.JourneyClient.GetFromJsonAsync<JsonNode>(path))!;
        string NextCt(JsonNode schedule) => schedule["items"]!.AsArray()
            .Where(i => (string)i!["kind"]! == "ct" && (string)i["status"]! != "done").Select(i => $"{i!["dueOn"]} {i["status"]}").Single();

        Assert.Equal("2012-04-24 overdue", NextCt(await Get($"/patients/{P}/surveillance?asOf=2012-06-30&asKnownAt={before}")));
        Assert.Equal("2012-07-24 upcoming", NextCt(await Get($"/patients/{P}/surveillance?asOf=2012-06-30")));
        Assert.Single((await Get($"/patients/{P}/journey?asKnownAt={before}"))["entries"]!.AsArray());
        Assert.Single((await Get($"/patients/{P}/events?asKnownAt={before}")).AsArray());
        Assert.Equal(2, (await Get($"/patients/{P}/events")).AsArray().Count);
    }
}
