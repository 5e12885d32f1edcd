using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Interventional;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Pipeline;

public class PerEventMessagesTests(PerEventMessagesSystem system) : IClassFixture<PerEventMessagesSystem>
{
    [Fact]
    public async Task Departments_set_to_one_message_per_event_deliver_the_whole_seed_case_to_the_journey()
    {
        var seed = await system.LoadSeedCaseAsync();
        var journey = (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{seed.PatientId}/journey"))!;
        Assert.Equal(["chemotherapy", "diagnosis", "imaging", "interventional"],
            journey["entries"]!.AsArray().Where(e => e!["assesses"] is null).Select(e => (string)e!["department"]!).Distinct().Order());
    }
}
