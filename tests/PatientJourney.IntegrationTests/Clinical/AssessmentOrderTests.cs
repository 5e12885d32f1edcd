using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Clinical;

public class AssessmentOrderTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task Each_derived_recist_response_is_listed_after_the_ct_it_assesses()
    {
        const string patient = "ORDER-CT-1";
        var sums = new[] { 100m, 90m, 80m, 70m, 75m, 72m, 71m };
        for (var i = 0; i < sums.Length; i++)
        {
            using var response = await system.PostAsync("imaging", $"/patients/{patient}/ct", new
            {
                performedOn = new DateOnly(2020, 1 + i, 10), region = "abdomen",
                targetLesions = new[] { new { lesionId = "t1", site = "liver", longestDiameterMm = sums[i] } },
            });
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patient) == 1 + 2 * (sums.Length - 1), "every CT and assessment in the journey");

        var entries = (await system.JourneyClient.GetFromJsonAsync<JsonNode>($"/patients/{patient}/journey"))!["entries"]!.AsArray().Select(e => e!).ToList();
        Assert.Equal(["CtResulted", .. Enumerable.Repeat<string[]>(["CtResulted", "RecistResponse"], sums.Length - 1).SelectMany(p => p)],
            entries.Select(e => (string)e["type"]!));
        // Each response names the CT just above it, and is the journey's own line.
        for (var i = 2; i < entries.Count; i += 2)
            Assert.Equal(((string)entries[i - 1]["eventId"]!, "journey"), ((string)entries[i]["assesses"]!, (string)entries[i]["department"]!));
    }
}
