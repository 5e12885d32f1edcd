using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Clinical;

public class AssessmentOrderTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task Each_recist_assessment_is_listed_after_the_ct_it_assesses()
    {
        // A CT and its assessment share a day and a recording time; their ids alone would order them at random, so six
        // follow-ups would show an assessment above its CT all but once in 64 runs.
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

        var types = (await system.JourneyClient.GetFromJsonAsync<JsonNode>($"/patients/{patient}/journey"))!["entries"]!.AsArray()
            .Select(e => (string)e!["type"]!).ToList();
        Assert.Equal(["CtResulted", .. Enumerable.Repeat<string[]>(["CtResulted", "ResponseAssessed"], sums.Length - 1).SelectMany(p => p)], types);
    }
}
