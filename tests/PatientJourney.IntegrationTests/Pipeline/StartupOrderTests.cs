using System.Net;
using System.Net.Http.Json;
using PatientJourney.Diagnosis;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey;

namespace PatientJourney.IntegrationTests.Pipeline;

public class StartupOrderTests
{
    [Fact]
    public async Task Events_accepted_before_the_journey_ever_ran_reach_it_when_it_starts()
    {
        await using var isolation = await Isolation.CreateAsync();
        await using var diagnosis = new ServiceHost<DiagnosisService>(isolation);
        using var client = diagnosis.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostAsJsonAsync("/patients/EARLY-1/visits", new { occurredOn = new DateOnly(2022, 1, 1).AddMonths(i) });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        // The department's bus is up and its outbox has had a chance to publish into a vhost where no queue is bound.
        await Eventually.HoldsAsync(() => Task.FromResult(diagnosis.BusIsReady()), "diagnosis bus ready");

        await using var journey = new ServiceHost<JourneyService>(isolation);
        using var journeyClient = journey.CreateClient();
        await Eventually.HoldsAsync(async () =>
        {
            var response = await journeyClient.GetAsync("/patients/EARLY-1/journey");
            return response.IsSuccessStatusCode
                && (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["entries"]!.AsArray().Count == 5;
        }, "events published before the journey's queue existed");
    }
}
