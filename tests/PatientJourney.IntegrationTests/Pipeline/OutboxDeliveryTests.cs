using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Pipeline;

public class OutboxDeliveryTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task Every_event_appended_concurrently_by_two_departments_reaches_the_journey()
    {
        // Concurrent appends commit out of sequence order: the trap in which an async daemon skips events.
        const int patients = 20, visitsEach = 15, ctsEach = 5;
        var posts = Enumerable.Range(0, patients).SelectMany(p =>
            Enumerable.Range(0, visitsEach).Select(i => ("diagnosis", $"/patients/CONC-{p}/visits", (object)new { occurredOn = new DateOnly(2021, 1, 1).AddDays(i), ecog = 1 }))
            .Concat(Enumerable.Range(0, ctsEach).Select(i => ("imaging", $"/patients/CONC-{p}/ct", (object)new { performedOn = new DateOnly(2021, 1, 1).AddMonths(i), region = "chest", targetLesions = Array.Empty<object>() }))))
            .ToList();

        await Parallel.ForEachAsync(posts, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (post, _) =>
        {
            using var response = await system.PostAsync(post.Item1, post.Item2, post.Item3);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        });

        await Eventually.HoldsAsync(async () =>
        {
            var listed = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients"))!;
            if (listed.Count < patients) return false;
            foreach (var p in Enumerable.Range(0, patients))
                if (await system.JourneyEntryCountAsync($"CONC-{p}") != visitsEach + ctsEach) return false;
            return true;
        }, "all concurrently appended events in the journey");
    }
}
